package io.streamingetl.k8s;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingetl.runtime.StreamsService;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml and k8s/ stay true to the code: they parse, name the images the Dockerfiles build,
 * probe the health endpoints on the service's port, and set only settings the service reads; and they are fit
 * for a real cluster: the Kubernetes schemas, Pod Security "restricted", no Secret applied over the user's,
 * memory limits that hold heap and RocksDB, a grace period longer than a clean close, a NetworkPolicy each.
 */
class DeploymentManifestsTest {
    /** The repository: this module's parent (tests run in the module's directory). */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static final List<String> SERVICES = List.of("customers-cdc", "logistics-cdc", "enrichment-service",
            "shipment-join-service", "es-sink-service");
    /** Metaspace, code cache, threads, direct buffers and the rest of what a JVM takes besides its heap. */
    private static final int JVM_OWN_MEMORY_MI = 192;
    private static final Map<String, Integer> PORTS = Map.of("customers-cdc", 8081, "logistics-cdc", 8082,
            "enrichment-service", 8083, "shipment-join-service", 8084, "es-sink-service", 8085);

    @SuppressWarnings("unchecked")
    private static Map<String, Object> compose() throws IOException {
        return new Yaml().load(Files.readString(ROOT.resolve("docker-compose.yml")));
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        return (Map<String, Object>) o;
    }

    /** Whether a service's code (or the runtime modules it is built on) reads the setting {@code key} (a secret's {@code <KEY>_FILE} too). */
    private static boolean readsSetting(String service, String key) throws IOException {
        key = key.endsWith("_FILE") ? key.substring(0, key.length() - "_FILE".length()) : key;
        for (String module : List.of(service, "service-runtime", "cdc-runtime", "search-client")) {
            try (Stream<Path> files = Files.walk(ROOT.resolve(module).resolve("src/main/java"))) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    if (Files.readString(file).contains("\"" + key + "\"")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    @Test
    void composeRunsTheEnginesAndEveryService() throws IOException {
        assertThat(map(compose().get("services")).keySet()).containsExactlyInAnyOrder("secrets", "postgres", "mongo", "mongo-init",
                "kafka", "schema-registry", "search-elasticsearch-7", "search-elasticsearch-8", "search-elasticsearch-9",
                "search-opensearch-2", "search-opensearch-3", "customers-cdc", "logistics-cdc", "enrichment-service",
                "shipment-join-service", "es-sink-service", "loader", "live-step", "prometheus", "grafana", "kafka-ui");
    }

    /** docker compose up alone ends with the tutorial's documents: the loader waits for the five services, ready. */
    @Test
    void composeLoadsTheTutorialOnceEveryServiceIsHealthyWithTheDemosOwnLoader() throws IOException {
        Map<String, Object> services = map(compose().get("services"));
        Map<String, Object> loader = map(services.get("loader"));
        assertThat(loader.get("command")).isEqualTo(List.of("seed"));
        assertThat(loader.get("build")).isEqualTo(Map.of("context", ".", "dockerfile", "pipeline-demo/Dockerfile"));
        Map<String, Object> waitsFor = map(loader.get("depends_on"));
        assertThat(waitsFor.keySet()).containsExactlyInAnyOrderElementsOf(SERVICES);
        waitsFor.values().forEach(condition -> assertThat(map(condition)).containsEntry("condition", "service_healthy"));
        assertThat(map(loader.get("environment"))).containsKeys("DEMO_POSTGRES_HOST", "DEMO_POSTGRES_PASSWORD_FILE",
                "DEMO_MONGO_URI_FILE", "DEMO_ENRICHMENT_URL").doesNotContainKey("OPS_TOKEN");
        assertThat(map(services.get("live-step")).get("command")).isEqualTo(List.of("live-step"));
        assertThat(map(services.get("live-step")).get("profiles")).isEqualTo(List.of("tools"));
        assertThat(Files.readString(ROOT.resolve("pipeline-demo/src/main/java/io/streamingetl/demo/DemoClient.java")))
                .as("the loader is the demo's own TutorialLoader").contains("tutorialLoader(mongo).seed()");
    }

    @ParameterizedTest
    @ValueSource(strings = {"customers-cdc", "logistics-cdc", "enrichment-service", "shipment-join-service", "es-sink-service",
            "schema-registry"})
    void composeAsksEachServiceAndTheRegistryWhetherItIsReady(String service) throws IOException {
        Map<String, Object> definition = map(map(compose().get("services")).get(service));
        assertThat(String.valueOf(map(definition.get("healthcheck")).get("test"))).contains("GET /health/ready")
                .contains("grep -q ' 200 '");
        if (!service.equals("schema-registry")) {
            assertThat(map(map(definition.get("depends_on")).get("schema-registry"))).containsEntry("condition", "service_healthy");
        }
    }

    @Test
    void theObservabilityProfileScrapesTheFiveServicesWithTheAlertsAndShowsTheDashboard() throws IOException {
        Map<String, Object> services = map(compose().get("services"));
        for (String tool : List.of("prometheus", "grafana", "kafka-ui")) {
            assertThat(map(services.get(tool)).get("profiles")).as(tool).isEqualTo(List.of("observability"));
        }
        for (String tool : List.of("prometheus", "grafana")) {
            for (Object volume : (List<?>) map(services.get(tool)).get("volumes")) {
                if (volume.toString().startsWith("./")) {
                    assertThat(ROOT.resolve(volume.toString().split(":")[0])).as(tool + " mounts it").exists();
                }
            }
        }
        Map<String, Object> prometheus = new Yaml().load(Files.readString(ROOT.resolve("monitoring/prometheus.yml")));
        Map<String, String> targets = new HashMap<>();
        for (Object job : (List<?>) prometheus.get("scrape_configs")) {
            Object target = ((List<?>) map(((List<?>) map(job).get("static_configs")).get(0)).get("targets")).get(0);
            targets.put((String) map(job).get("job_name"), (String) target);
        }
        Map<String, String> expected = new HashMap<>();
        PORTS.forEach((service, port) -> expected.put(service, service + ":" + port));
        assertThat(targets).as("jobs named as the services, as PipelineServiceDown expects").isEqualTo(expected);
        assertThat(map(prometheus.get("global")).get("external_labels")).isEqualTo(Map.of("runbook_base_url", "${RUNBOOK_BASE_URL}"));
        assertThat(String.valueOf(map(services.get("kafka-ui")).get("environment"))).contains("/apis/ccompat/v7");
    }

    /** Every port compose publishes, the shared anchors' included, as written. */
    private static List<String> publishedPorts() throws IOException {
        List<String> ports = new ArrayList<>();
        map(compose().get("services")).forEach((name, definition) -> {
            Object published = map(definition).get("ports");
            if (published != null) {
                ((List<?>) published).forEach(port -> ports.add(name + " " + port));
            }
        });
        return ports;
    }

    /**
     * Closed by default: every port on the host's loopback only, no operator's token in .env (control off until
     * .env.local sets one), no password in the compose file or .env, each a file from the secrets service's volume of
     * that service, and .env.local ignored by git with an example that sets nothing.
     */
    @Test
    void composeIsClosedByDefaultPortsOnTheLoopbackNoTokenNoPassword() throws IOException {
        assertThat(publishedPorts()).hasSizeGreaterThan(10).allSatisfy(port -> assertThat(port.split(" ")[1]).startsWith("127.0.0.1:"));
        String env = Files.readString(ROOT.resolve(".env"));
        assertThat(env).doesNotContainPattern("(?m)^\\s*OPS_TOKEN").doesNotContainPattern("(?im)^[^#]*PASSWORD");
        String file = Files.readString(ROOT.resolve("docker-compose.yml"));
        assertThat(file).doesNotContain("${OPS_TOKEN").doesNotContain("-pw").doesNotContain("0.0.0.0");
        map(compose().get("services")).forEach((name, definition) -> {
            Object environment = map(definition).get("environment");
            if (environment != null) {
                map(environment).forEach((key, value) -> {
                    if (key.matches(".*(PASSWORD|TOKEN|SECRET).*")) {
                        assertThat(key).as(name + " reads " + key + " from a file").endsWith("FILE");
                        assertThat(String.valueOf(value)).as(name + " " + key).startsWith("/run/secrets/pipeline/");
                    }
                });
            }
        });
        assertThat(Files.readAllLines(ROOT.resolve(".gitignore"))).contains(".env.local");
        assertThat(Files.readAllLines(ROOT.resolve(".env.local.example"))).allSatisfy(line ->
                assertThat(line.isBlank() || line.startsWith("#")).as(line).isTrue());
    }

    /** The secrets service at a first start without .env.local: random passwords, each service's own, owner-only; control off. */
    @Test
    void theSecretsServiceGivesEachServiceItsOwnPasswordsAndNoTokenUnlessOneIsSet(@TempDir Path dir) throws Exception {
        Path store = Files.createDirectories(dir.resolve("store"));
        Path out = dir.resolve("out");
        for (String volume : List.of("postgres", "mongo", "customers-cdc", "logistics-cdc", "services", "loader", "grafana")) {
            Files.createDirectories(out.resolve(volume));
        }
        Result first = runWith(Map.of("SECRETS_STORE", store.toString(), "SECRETS_OUT", out.toString()), "bash", "compose/secrets.sh");
        String password = Files.readString(out.resolve("postgres/customers-cdc-password"));
        Result second = runWith(Map.of("SECRETS_STORE", store.toString(), "SECRETS_OUT", out.toString(), "OPS_TOKEN",
                "an-operator-token-of-24", "CUSTOMERS_CDC_POSTGRES_PASSWORD", "too-late-to-change"), "bash", "compose/secrets.sh");

        assertThat(first.exitCode()).as(first.output()).isZero();
        assertThat(first.output()).contains("operator control off");
        assertThat(second.exitCode()).as(second.output()).isZero();
        assertThat(password).matches("[A-Za-z0-9_-]{32}");
        assertThat(Files.readString(out.resolve("customers-cdc/postgres-password"))).as("kept from the first start").isEqualTo(password);
        assertThat(Files.readString(out.resolve("postgres/postgres-password"))).isNotEqualTo(password).hasSize(32);
        assertThat(Files.readString(out.resolve("services/ops-token"))).isEqualTo("an-operator-token-of-24");
        try (Stream<Path> files = Files.list(out.resolve("customers-cdc"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactlyInAnyOrder("postgres-password", "ops-token");
        }
        try (Stream<Path> files = Files.walk(out)) {
            files.filter(Files::isRegularFile).forEach(f -> {
                try {
                    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).as(f.toString()).isEqualTo("r--------");
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    @Test
    void dockerComposeFollowsTheComposeSpecification() throws Exception {
        Path checker = schemaChecker();
        Result validation = run("node", checker.resolve("validate-compose.mjs").toString(), ROOT.resolve("docker-compose.yml").toString());
        assertThat(validation.output()).isEqualTo("valid\n");
        assertThat(validation.exitCode()).isZero();
    }

    @Test
    void theKustomizationListsEveryManifestAndSetsTheNamespaceAndEveryImage() throws IOException {
        Map<String, Object> kustomization = new Yaml().load(Files.readString(ROOT.resolve("k8s/kustomization.yaml")));
        List<String> manifests = new ArrayList<>(List.of("namespace.yaml"));
        for (String folder : SERVICES) {
            try (Stream<Path> files = Files.list(ROOT.resolve("k8s").resolve(folder))) {
                files.filter(f -> f.toString().endsWith(".yaml")).map(f -> folder + "/" + f.getFileName()).sorted().forEach(manifests::add);
            }
        }
        try (Stream<Path> files = Files.list(ROOT.resolve("k8s/monitoring"))) {
            files.map(f -> "monitoring/" + f.getFileName()).sorted().forEach(manifests::add);
        }
        assertThat(kustomization.get("resources")).isEqualTo(manifests);
        assertThat(kustomization.get("namespace")).isEqualTo("streaming-etl");
        assertThat(((List<?>) kustomization.get("images")).stream().map(i -> map(i).get("name")).toList())
                .containsExactlyInAnyOrderElementsOf(SERVICES.stream().map(service -> "streaming-etl/" + service).toList());
    }

    /** kubectl's own kustomize, with a registry and tag of the test's: every object in the namespace, every image moved. */
    @Test
    void theKustomizationRendersEveryObjectIntoTheNamespaceWithTheRegistryAndTagGiven() throws Exception {
        Assumptions.assumeTrue(run("kubectl", "version", "--client").exitCode() == 0,
                "kubectl is not installed here; the kustomization's own checks above still ran");
        Path copy = Path.of("target", "kustomize").toAbsolutePath();
        copyTree(ROOT.resolve("k8s"), copy);
        Path kustomization = copy.resolve("kustomization.yaml");
        Files.writeString(kustomization, Files.readString(kustomization)
                .replaceAll("newName: streaming-etl/", "newName: registry.example.com/team/streaming-etl/")
                .replace("newTag: 0.1.0", "newTag: 1.2.3"));
        Result rendered = run("kubectl", "kustomize", copy.toString());
        assertThat(rendered.exitCode()).as(rendered.output()).isZero();
        List<Map<String, Object>> objects = new ArrayList<>();
        new Yaml().loadAll(rendered.output()).forEach(o -> objects.add(map(o)));

        int listed = 0;
        for (Object resource : (List<?>) ((Map<?, ?>) new Yaml().load(Files.readString(kustomization))).get("resources")) {
            for (Object document : new Yaml().loadAll(Files.readString(copy.resolve(resource.toString())))) {
                listed += document == null ? 0 : 1;
            }
        }
        assertThat(objects).as("every object of every manifest listed").hasSize(listed);
        for (Map<String, Object> object : objects) {
            Map<String, Object> metadata = map(object.get("metadata"));
            if (!"Namespace".equals(object.get("kind"))) {
                assertThat(metadata.get("namespace")).as(object.get("kind") + " " + metadata.get("name")).isEqualTo("streaming-etl");
            }
        }
        List<String> images = new ArrayList<>();
        Matcher image = Pattern.compile("image: (\\S+)").matcher(rendered.output());
        while (image.find()) {
            images.add(image.group(1));
        }
        assertThat(images).containsExactlyInAnyOrderElementsOf(SERVICES.stream()
                .map(service -> "registry.example.com/team/streaming-etl/" + service + ":1.2.3").toList());
        Path renderedFile = copy.resolve("rendered.yaml");
        Files.writeString(renderedFile, rendered.output());
        if (run("node", "--version").exitCode() == 0) {
            Result validation = run("node", schemaChecker().resolve("validate.mjs").toString(), renderedFile.toString());
            assertThat(validation.output()).endsWith("valid\n").doesNotContain("invalid");
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.filter(f -> !f.toString().contains("/target") && !f.toString().contains("/src")).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(file, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    @Test
    void composeUsesThePostgresConfigAndTheMongoInitScriptOfTheRepository() throws IOException {
        Map<String, Object> services = map(compose().get("services"));
        for (String service : List.of("postgres", "mongo-init", "secrets")) {
            for (Object volume : (List<?>) map(services.get(service)).get("volumes")) {
                if (volume.toString().startsWith("./")) {
                    assertThat(ROOT.resolve(volume.toString().split(":")[0])).as(service).exists();
                }
            }
        }
    }

    @Test
    void composeHealthchecksMeanReadyAndMongoDbRunsWithAuthentication() throws IOException {
        Map<String, Object> services = map(compose().get("services"));
        assertThat(String.valueOf(map(map(services.get("postgres")).get("healthcheck")).get("test")))
                .as("Postgres over TCP, as the services connect").contains("pg_isready, -h, 127.0.0.1");
        for (String engine : List.of("search-elasticsearch-7", "search-elasticsearch-8", "search-elasticsearch-9",
                "search-opensearch-2", "search-opensearch-3")) {
            assertThat(String.valueOf(map(map(services.get(engine)).get("healthcheck")).get("test"))).as(engine)
                    .contains("wait_for_status=yellow");
            assertThat(map(services.get(engine)).get("profiles")).as(engine + " is a profile").isNotNull();
        }
        assertThat(Files.readString(ROOT.resolve(".env"))).as("the default profile").contains("COMPOSE_PROFILES=elasticsearch\n");
        Map<String, Object> mongo = map(services.get("mongo"));
        assertThat(map(mongo.get("environment"))).containsKeys("MONGO_INITDB_ROOT_USERNAME", "MONGO_INITDB_ROOT_PASSWORD_FILE");
        assertThat(String.valueOf(mongo.get("entrypoint"))).contains("--keyFile");
        assertThat(Files.readString(ROOT.resolve("mongo/init-replica-set.js")))
                .as("logistics-cdc reads the logistics database alone and writes only its signal collection")
                .contains("roles: [{role: \"read\", db: \"logistics\"}]")
                .contains("{resource: {db: \"logistics\", collection: \"debezium_signal\"}, actions: [\"insert\"]}")
                .doesNotContain("db: \"\"").doesNotContain("readWrite");
    }

    @ParameterizedTest
    @ValueSource(strings = {"customers-cdc", "logistics-cdc", "enrichment-service", "shipment-join-service", "es-sink-service"})
    void composeBuildsEachServiceFromAFreshCloneAndSetsOnlyItsSettings(String service) throws IOException {
        Map<String, Object> definition = map(map(compose().get("services")).get(service));
        assertThat(definition.get("build")).isEqualTo(Map.of("context", ".", "dockerfile", service + "/Dockerfile"));
        assertThat(definition.get("image")).isEqualTo("streaming-etl/" + service + ":0.1.0");
        String dockerfile = Files.readString(ROOT.resolve(service).resolve("Dockerfile"));
        assertThat(dockerfile).as("a multi-stage build: the project is built inside the image")
                .contains(" AS build").contains("-pl " + service + " -am package")
                .contains("COPY --from=build /src/" + service + "/target/" + service + ".jar")
                .contains("EXPOSE " + PORTS.get(service)).contains("USER 10001")
                .as("in a container the ops port listens beyond loopback").contains("ENV OPS_BIND_ADDRESS=0.0.0.0");
        assertThat(definition.get("ports")).as("the ops port published on the host's loopback only")
                .isEqualTo(List.of("127.0.0.1:" + PORTS.get(service) + ":" + PORTS.get(service)));
        Map<String, Object> environment = map(definition.get("environment"));
        assertThat(environment).containsEntry("TOPIC_PARTITIONS", "6");
        for (String key : environment.keySet()) {
            assertThat(readsSetting(service, key)).as("%s reads %s", service, key).isTrue();
        }
    }

    /** The documents {@code kubectl apply -f k8s/<service>/} applies: its .yaml files, by kind. */
    @SuppressWarnings("unchecked")
    private static Map<String, List<Map<String, Object>>> applied(String service) throws IOException {
        Map<String, List<Map<String, Object>>> byKind = new HashMap<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("k8s").resolve(service))) {
            for (Path file : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
                new Yaml().loadAll(Files.readString(file)).forEach(d -> byKind
                        .computeIfAbsent((String) ((Map<String, Object>) d).get("kind"), k -> new ArrayList<>())
                        .add((Map<String, Object>) d));
            }
        }
        return byKind;
    }

    private static Map<String, Object> workload(Map<String, List<Map<String, Object>>> byKind) {
        return byKind.containsKey("StatefulSet") ? byKind.get("StatefulSet").get(0) : byKind.get("Deployment").get(0);
    }

    private static Map<String, Object> podSpec(Map<String, Object> workload) {
        return map(map(map(workload.get("spec")).get("template")).get("spec"));
    }

    private static Map<String, Object> container(Map<String, Object> workload) {
        return map(((List<?>) podSpec(workload).get("containers")).get(0));
    }

    @ParameterizedTest
    @ValueSource(strings = {"customers-cdc", "logistics-cdc", "enrichment-service", "shipment-join-service", "es-sink-service"})
    @SuppressWarnings("unchecked")
    void eachServiceDeploysOnItsOwnFromItsK8sFolder(String service) throws IOException {
        Map<String, List<Map<String, Object>>> byKind = applied(service);
        assertThat(byKind).containsKeys("ConfigMap", "Service", "NetworkPolicy");
        Map<String, Object> container = container(workload(byKind));
        assertThat(container.get("image")).isEqualTo("streaming-etl/" + service + ":0.1.0");
        int port = (Integer) map(((List<?>) container.get("ports")).get(0)).get("containerPort");
        assertThat(port).isEqualTo(PORTS.get(service));
        assertThat(map(map(container.get("livenessProbe")).get("httpGet")).get("path")).isEqualTo("/health/live");
        assertThat(map(map(container.get("readinessProbe")).get("httpGet")).get("path")).isEqualTo("/health/ready");
        Map<String, Object> configMap = byKind.get("ConfigMap").get(0);
        for (Object source : (List<?>) container.get("envFrom")) {
            Map<String, Object> ref = map(source);
            if (ref.containsKey("configMapRef")) {
                assertThat(map(ref.get("configMapRef")).get("name")).isEqualTo(map(configMap.get("metadata")).get("name"));
            } else {
                Path example = ROOT.resolve("k8s").resolve(service).resolve("secret.yaml.example");
                Map<String, Object> secret = new Yaml().load(Files.readString(example));
                assertThat(map(ref.get("secretRef")).get("name")).isEqualTo(map(secret.get("metadata")).get("name"));
                for (String key : map(secret.get("stringData")).keySet()) {
                    assertThat(readsSetting(service, key)).as("%s reads %s", service, key).isTrue();
                }
            }
        }
        for (String key : map(configMap.get("data")).keySet()) {
            assertThat(readsSetting(service, key)).as("%s reads %s", service, key).isTrue();
        }
        assertThat(map(map(byKind.get("Service").get(0).get("spec")).get("selector")))
                .containsEntry("app.kubernetes.io/name", service);
    }

    @ParameterizedTest
    @ValueSource(strings = {"customers-cdc", "logistics-cdc", "enrichment-service", "shipment-join-service", "es-sink-service"})
    @SuppressWarnings("unchecked")
    void eachServiceIsFitForARealCluster(String service) throws IOException {
        Map<String, List<Map<String, Object>>> byKind = applied(service);
        Map<String, Object> workload = workload(byKind);
        Map<String, Object> pod = podSpec(workload);
        Map<String, Object> container = container(workload);
        Map<String, String> config = (Map<String, String>) byKind.get("ConfigMap").get(0).get("data");

        assertThat(byKind).as("no Secret is applied over the user's own").doesNotContainKey("Secret");
        assertThat(config).as("scaled by partitions").containsEntry("TOPIC_PARTITIONS", "6");
        assertThat(map(pod.get("securityContext"))).as("Pod Security \"restricted\"")
                .containsEntry("runAsNonRoot", true).containsEntry("seccompProfile", Map.of("type", "RuntimeDefault"));
        assertThat(map(container.get("securityContext"))).containsEntry("allowPrivilegeEscalation", false)
                .containsEntry("readOnlyRootFilesystem", true).containsEntry("capabilities", Map.of("drop", List.of("ALL")));
        assertThat((List<Map<String, Object>>) container.get("volumeMounts"))
                .contains(Map.of("name", "tmp", "mountPath", "/tmp"));
        assertThat((List<Map<String, Object>>) pod.get("volumes")).contains(Map.of("name", "tmp", "emptyDir", Map.of()));
        assertThat((Integer) pod.get("terminationGracePeriodSeconds")).as("longer than a clean close")
                .isGreaterThan((int) StreamsService.CLOSE_TIMEOUT.toSeconds() + 15);

        boolean streams = workload.get("kind").equals("StatefulSet");
        int limitMi = Integer.parseInt(String.valueOf(map(map(container.get("resources")).get("limits")).get("memory"))
                .replace("Mi", ""));
        String javaOptions = ((List<Map<String, Object>>) container.get("env")).stream()
                .filter(e -> e.get("name").equals("JAVA_TOOL_OPTIONS")).map(e -> (String) e.get("value")).findFirst().orElseThrow();
        int heapPercent = Integer.parseInt(javaOptions.replaceAll(".*MaxRAMPercentage=(\\d+).*", "$1"));
        int rocksDbMi = streams ? Integer.parseInt(config.get("ROCKSDB_MEMORY_MB")) : 0;
        assertThat(limitMi * heapPercent / 100 + rocksDbMi + JVM_OWN_MEMORY_MI)
                .as("heap, RocksDB and the JVM's own memory within the limit of %d Mi", limitMi).isLessThanOrEqualTo(limitMi);

        if (streams) {
            String governing = (String) map(workload.get("spec")).get("serviceName");
            assertThat(byKind.get("Service")).as("a headless Service governs the StatefulSet")
                    .anySatisfy(s -> {
                        assertThat(map(s.get("metadata")).get("name")).isEqualTo(governing);
                        assertThat(map(s.get("spec")).get("clusterIP")).isEqualTo("None");
                    });
        }
        Map<String, Object> policy = map(byKind.get("NetworkPolicy").get(0).get("spec"));
        assertThat(map(policy.get("podSelector")).get("matchLabels")).isEqualTo(Map.of("app.kubernetes.io/name", service));
        assertThat(String.valueOf(policy.get("ingress"))).contains("port=" + PORTS.get(service));
        assertThat((List<?>) policy.get("ingress")).as("every ingress rule names who may reach the ops port")
                .allSatisfy(rule -> assertThat((List<?>) map(rule).get("from")).isNotEmpty());
        assertThat(String.valueOf(policy.get("egress"))).contains("port=9092").contains("port=53");
    }

    /** The npm checkers (Kubernetes and Compose schemas) installed into target/ once; the test is skipped without node. */
    private static Path schemaChecker() throws Exception {
        Assumptions.assumeTrue(run("npm", "--version").exitCode() == 0 && run("node", "--version").exitCode() == 0,
                "node and npm are not installed here; the rules above still ran");
        Path checker = Path.of("target", "k8s-schema").toAbsolutePath();
        Files.createDirectories(checker);
        for (String file : List.of("package.json", "package-lock.json", "validate.mjs", "validate-compose.mjs", "compose-spec.json")) {
            Files.copy(Path.of("src", "test", "k8s-schema", file), checker.resolve(file), StandardCopyOption.REPLACE_EXISTING);
        }
        if (!Files.isDirectory(checker.resolve("node_modules/ajv"))) {
            Result install = run("npm", "ci", "--silent", "--no-audit", "--no-fund", "--prefix", checker.toString());
            assertThat(install.exitCode()).as(install.output()).isZero();
        }
        return checker;
    }

    @Test
    void theK8sManifestsPassTheKubernetesSchemas() throws Exception {
        Path checker = schemaChecker();
        List<String> command = new ArrayList<>(List.of("node", checker.resolve("validate.mjs").toString()));
        for (String service : PORTS.keySet()) {
            try (Stream<Path> files = Files.list(ROOT.resolve("k8s").resolve(service))) {
                files.filter(f -> f.toString().endsWith(".yaml")).map(Path::toString).forEach(command::add);
            }
        }
        Result validation = run(command.toArray(String[]::new));
        assertThat(validation.output()).endsWith("valid\n").doesNotContain("invalid");
        assertThat(validation.exitCode()).isZero();
    }

    @Test
    void dockerComposeAcceptsTheFileWhereItIsInstalled() throws Exception {
        Assumptions.assumeTrue(run("docker", "compose", "version").exitCode() == 0,
                "docker compose is not installed here; the YAML checks above still ran");
        Result config = run("docker", "compose", "-f", "docker-compose.yml", "config", "-q");
        assertThat(config.exitCode()).as(config.output()).isZero();
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(String... command) throws InterruptedException {
        return runWith(Map.of(), command);
    }

    private static Result runWith(Map<String, String> environment, String... command) throws InterruptedException {
        try {
            ProcessBuilder builder = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
            builder.environment().putAll(environment);
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            return process.waitFor(60, TimeUnit.SECONDS) ? new Result(process.exitValue(), output) : new Result(-1, output);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        }
    }
}
