package io.streamingetl.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.yaml.snakeyaml.Yaml;

/**
 * docker-compose.yml and k8s/ stay true to the code: they parse, name the images the Dockerfiles build,
 * probe the health endpoints on the service's port, and set only settings the service reads.
 */
class DeploymentManifestsTest {
    private static final Path ROOT = PipelineEndToEndScenarios.repositoryRoot();
    private static final List<String> SERVICES = List.of("customers-cdc", "logistics-cdc", "enrichment-service",
            "shipment-join-service", "es-sink-service");
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

    /** Whether a service's code (or the runtime modules it is built on) reads the setting {@code key}. */
    private static boolean readsSetting(String service, String key) throws IOException {
        for (String module : List.of(service, "service-runtime", "cdc-runtime")) {
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
        assertThat(map(compose().get("services")).keySet()).containsExactlyInAnyOrder("postgres", "mongo", "mongo-init",
                "kafka", "schema-registry", "elasticsearch", "customers-cdc", "logistics-cdc", "enrichment-service",
                "shipment-join-service", "es-sink-service");
    }

    @Test
    void composeUsesThePostgresConfigAndTheMongoInitScriptOfTheRepository() throws IOException {
        Map<String, Object> services = map(compose().get("services"));
        for (Object volume : (List<?>) map(services.get("postgres")).get("volumes")) {
            assertThat(ROOT.resolve(volume.toString().split(":")[0])).exists();
        }
        for (Object volume : (List<?>) map(services.get("mongo-init")).get("volumes")) {
            assertThat(ROOT.resolve(volume.toString().split(":")[0])).exists();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"customers-cdc", "logistics-cdc", "enrichment-service", "shipment-join-service", "es-sink-service"})
    void composeBuildsEachServiceFromItsDockerfileAndSetsOnlyItsSettings(String service) throws IOException {
        Map<String, Object> definition = map(map(compose().get("services")).get(service));
        assertThat(definition.get("build")).isEqualTo("./" + service);
        assertThat(definition.get("image")).isEqualTo("streaming-etl/" + service + ":0.1.0");
        String dockerfile = Files.readString(ROOT.resolve(service).resolve("Dockerfile"));
        assertThat(dockerfile).contains("COPY target/" + service + ".jar").contains("EXPOSE " + PORTS.get(service));
        assertThat(definition.get("ports")).isEqualTo(List.of(PORTS.get(service) + ":" + PORTS.get(service)));
        for (String key : map(definition.get("environment")).keySet()) {
            assertThat(readsSetting(service, key)).as("%s reads %s", service, key).isTrue();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"customers-cdc", "logistics-cdc", "enrichment-service", "shipment-join-service", "es-sink-service"})
    @SuppressWarnings("unchecked")
    void eachServiceDeploysOnItsOwnFromItsK8sFolder(String service) throws IOException {
        List<Map<String, Object>> documents = new ArrayList<>();
        try (Stream<Path> files = Files.list(ROOT.resolve("k8s").resolve(service))) {
            for (Path file : files.sorted().toList()) {
                new Yaml().loadAll(Files.readString(file)).forEach(d -> documents.add((Map<String, Object>) d));
            }
        }
        Map<String, Map<String, Object>> byKind = new HashMap<>();
        documents.forEach(d -> byKind.put((String) d.get("kind"), d));
        assertThat(byKind).containsKeys("ConfigMap", "Service");
        Map<String, Object> workload = byKind.containsKey("StatefulSet") ? byKind.get("StatefulSet") : byKind.get("Deployment");
        assertThat(workload).as("a Deployment or StatefulSet").isNotNull();

        Map<String, Object> container = map(((List<?>) map(map(map(workload.get("spec")).get("template")).get("spec"))
                .get("containers")).get(0));
        assertThat(container.get("image")).isEqualTo("streaming-etl/" + service + ":0.1.0");
        int port = (Integer) map(((List<?>) container.get("ports")).get(0)).get("containerPort");
        assertThat(port).isEqualTo(PORTS.get(service));
        assertThat(map(map(container.get("livenessProbe")).get("httpGet")).get("path")).isEqualTo("/health/live");
        assertThat(map(map(container.get("readinessProbe")).get("httpGet")).get("path")).isEqualTo("/health/ready");
        for (Object source : (List<?>) container.get("envFrom")) {
            Map<String, Object> ref = map(source);
            String kind = ref.containsKey("configMapRef") ? "ConfigMap" : "Secret";
            Object name = map(ref.getOrDefault("configMapRef", ref.get("secretRef"))).get("name");
            assertThat(byKind.get(kind)).as("%s %s in k8s/%s", kind, name, service).isNotNull();
            assertThat(map(byKind.get(kind).get("metadata")).get("name")).isEqualTo(name);
        }
        for (String kind : List.of("ConfigMap", "Secret")) {
            if (byKind.containsKey(kind)) {
                Map<String, Object> data = map(byKind.get(kind).getOrDefault("data", byKind.get(kind).get("stringData")));
                for (String key : data.keySet()) {
                    assertThat(readsSetting(service, key)).as("%s reads %s", service, key).isTrue();
                }
            }
        }
        assertThat(map(map(byKind.get("Service").get("spec")).get("selector")))
                .containsEntry("app.kubernetes.io/name", service);
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
        try {
            Process process = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            return process.waitFor(60, TimeUnit.SECONDS) ? new Result(process.exitValue(), output) : new Result(-1, output);
        } catch (IOException e) {
            return new Result(-1, e.getMessage());
        }
    }
}
