package io.streamingetl.harness;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.streamingetl.contract.PipelineService;
import io.streamingetl.contract.Topic;
import io.streamingetl.contract.Topics;
import io.streamingetl.localstack.EmbeddedEngines;
import io.streamingetl.localstack.Engines;
import io.streamingetl.localstack.FreePorts;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.localstack.KafkaEngine;
import io.streamingetl.localstack.PostgresEndpoint;
import io.streamingetl.localstack.TutorialData;
import io.streamingetl.runtime.KafkaConnection;
import io.streamingetl.runtime.OpsSettings;
import io.streamingetl.runtime.PrometheusText;
import io.streamingetl.runtime.SchemaRegistries;
import io.streamingetl.runtime.ServiceLauncher;
import io.streamingetl.runtime.TopicAdmin;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeMap;
import org.bson.Document;

/**
 * The whole pipeline on one machine: the engines (embedded, or any {@link Engines}), the databases,
 * users, table and collections the tutorial created by hand, the five services as separate processes from
 * their own jars, the tutorial's data, and progress as it flows: a library, which {@link DemoMain} (the
 * command line of {@code ./demo.sh}), the benchmark and the end-to-end tests drive.
 */
public final class LocalPipeline implements AutoCloseable {
    public static final String DATABASE = "customers";
    public static final String DB_USER = "postgres-user";
    public static final String DB_PASSWORD = "postgres-pw";
    public static final String INDEX = "shipped_orders";
    public static final List<String> SERVICES = Arrays.stream(PipelineService.values()).map(PipelineService::serviceName).toList();
    /** Where a secured demo leaves the settings its Kafka clients need. */
    public static final String KAFKA_CLIENT_ENV = "kafka-client.env";
    public static final List<String> TOPICS = Topics.ALL.stream().map(Topic::name).toList();
    private static final Duration STAGE_TIMEOUT = Duration.ofMinutes(3);
    private static final Set<PipelineService> SCALABLE = EnumSet.of(PipelineService.ENRICHMENT, PipelineService.SHIPMENT_JOIN,
            PipelineService.ES_SINK);
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * Where the repository is, where the demo keeps its files, the first of consecutive HTTP ports for the
     * services (0: any free ones), the partitions of each pipeline topic, the instances of each service that
     * scales by partitions (enrichment, shipment join, sink; the CDC services run one each), and settings
     * given to every service besides the engines' own.
     */
    public record Options(Path repositoryRoot, Path workDir, int firstHttpPort, int partitions, int instances,
                          Map<String, String> environment) {
        public Options(Path repositoryRoot, Path workDir, int firstHttpPort, int partitions) {
            this(repositoryRoot, workDir, firstHttpPort, partitions, 1, Map.of());
        }
    }

    /** Where the demo leaves the operator's token it gave its services, for {@code ./pipeline} and the clients. */
    public static final String OPS_TOKEN_FILE = "ops-token";

    private final Engines engines;
    private final Options options;
    private final String opsToken = newOpsToken();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private final TutorialData tutorial = TutorialData.load();
    private MongoClient mongo;
    private PipelineCounts counts;

    private LocalPipeline(Engines engines, Options options) {
        this.engines = engines;
        this.options = options;
    }

    /** The repository this runs from: the nearest directory above the working one holding demo.sh. */
    public static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("demo.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("demo.sh not found above " + Path.of("").toAbsolutePath());
    }

    /** The demo's own lines: the console as the demo started, whatever the engines' output was redirected to. */
    public static final PrintStream CONSOLE = System.out;

    public static void say(String line) {
        CONSOLE.println("[demo] " + line);
    }

    /** Starts everything but loads no data; each stage says when it is up. */
    public static LocalPipeline start(Engines engines, Options options) throws InterruptedException {
        LocalPipeline demo = new LocalPipeline(engines, options);
        try {
            demo.startEngines();
            demo.startServices();
            return demo;
        } catch (RuntimeException | InterruptedException e) {
            demo.close();
            throw e;
        }
    }

    private void startEngines() {
        writeOwnerOnly(options.workDir().resolve(OPS_TOKEN_FILE), opsToken);
        say("stage kafka: starting");
        String kafka = engines.kafkaBootstrapServers();
        KafkaConnection connection = engines.kafkaConnection();
        Map<String, String> clientSettings = engines.kafkaClientSettings();
        if (clientSettings.containsKey("KAFKA_SECURITY_PROTOCOL")) {
            Path env = writeClientSettings(clientSettings);
            say("stage kafka: up at " + kafka + " (" + clientSettings.get("KAFKA_SECURITY_PROTOCOL") + " only, "
                    + clientSettings.get("KAFKA_SASL_MECHANISM") + " user " + KafkaEngine.CLIENT_USER + "; a client's settings: . "
                    + options.repositoryRoot().relativize(env) + ")");
        } else {
            say("stage kafka: up at " + kafka);
        }
        TopicAdmin.ensureTopics(connection, TOPICS, TopicAdmin.Layout.of(options.partitions(), (short) -1));
        counts = new PipelineCounts(connection, TOPICS);

        say("stage schema-registry: starting");
        URI registry = URI.create(engines.schemaRegistryUrl());
        say("stage schema-registry: up at " + registry.getScheme() + "://" + registry.getAuthority() + " (Confluent-compatible API "
                + registry.getPath() + ", BACKWARD compatibility, schemas in memory)");

        say("stage postgres: starting");
        PostgresEndpoint postgres = engines.postgres();
        postgres.createDatabase(DATABASE, DB_USER, DB_PASSWORD);
        postgres.execute(DATABASE, DB_USER, DB_PASSWORD, read(options.repositoryRoot().resolve("postgres/init/01-customers.sql")));
        say("stage postgres: up at " + postgres.host() + ":" + postgres.port() + ", database " + DATABASE
                + " with table customers, user " + DB_USER);

        say("stage mongodb: starting");
        mongo = MongoClients.create(engines.mongoConnectionString());
        MongoDatabase logistics = mongo.getDatabase("logistics");
        for (String collection : List.of("orders", "shipments")) {
            if (!logistics.listCollectionNames().into(new ArrayList<>()).contains(collection)) {
                logistics.createCollection(collection);
            }
        }
        say("stage mongodb: up at " + engines.mongoConnectionString() + ", collections logistics.orders and logistics.shipments"
                + (engines instanceof EmbeddedEngines ? " (STAND-IN: mongo-java-server, not a real mongod)" : ""));

        String search = engines.searchEngineName().toLowerCase();
        say("stage " + search + ": starting");
        say("stage " + search + ": up at " + engines.searchUrl());
    }

    /** The settings a client needs, as shell exports (for ./pipeline and the user's own tools), readable by the user only. */
    private Path writeClientSettings(Map<String, String> settings) {
        Path file = options.workDir().resolve(KAFKA_CLIENT_ENV);
        StringBuilder exports = new StringBuilder();
        settings.forEach((key, value) -> exports.append("export ").append(key).append("='").append(value).append("'\n"));
        writeOwnerOnly(file, exports.toString());
        return file;
    }

    private static void writeOwnerOnly(Path file, String content) {
        try {
            Files.writeString(file, content);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new operator's token for this demo's services (their OPS_TOKEN). */
    private static String newOpsToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public String opsToken() {
        return opsToken;
    }

    private Map<String, String> environmentOf(PipelineService service, String instance) {
        Map<String, String> env = new LinkedHashMap<>(options.environment());
        env.putAll(engines.kafkaClientSettings());
        env.put(SchemaRegistries.SCHEMA_REGISTRY_URL, engines.schemaRegistryUrl());
        env.put(ServiceLauncher.EXIT_WITH_PARENT, "true");
        env.put(OpsSettings.OPS_TOKEN, opsToken);
        switch (service) {
            case CUSTOMERS_CDC -> {
                env.put("POSTGRES_HOST", engines.postgres().host());
                env.put("POSTGRES_PORT", Integer.toString(engines.postgres().port()));
                env.put("POSTGRES_PASSWORD", DB_PASSWORD);
            }
            case LOGISTICS_CDC -> env.put("MONGO_URI", engines.mongoConnectionString());
            case ENRICHMENT, SHIPMENT_JOIN -> env.put("STATE_DIR", options.workDir().resolve("state").resolve(instance).toString());
            case ES_SINK -> env.put("ES_URL", engines.searchUrl());
            default -> throw new IllegalArgumentException(service.serviceName());
        }
        return env;
    }

    /** The first instance of each service is named as the service, the next ones {@code <service>-2} and so on. */
    private void startServices() throws InterruptedException {
        int port = options.firstHttpPort();
        for (PipelineService definition : PipelineService.values()) {
            String name = definition.serviceName();
            Path jar = options.repositoryRoot().resolve(name).resolve("target").resolve(name + ".jar");
            int instances = SCALABLE.contains(definition) ? options.instances() : 1;
            for (int i = 1; i <= instances; i++) {
                String instance = i == 1 ? name : name + "-" + i;
                ServiceProcess service = new ServiceProcess(instance, jar, environmentOf(definition, instance),
                        options.firstHttpPort() == 0 ? FreePorts.next() : port++, options.workDir().resolve("logs"));
                services.put(instance, service);
                say("stage " + instance + ": starting from " + options.repositoryRoot().relativize(jar) + ", log " + service.log());
                service.start();
            }
        }
        for (ServiceProcess service : services.values()) {
            service.awaitReady(STAGE_TIMEOUT);
            say("stage " + service.name() + ": ready (" + service.readyUrl() + ")");
        }
    }

    /** The tutorial's customers, then its orders and shipments, as the seed inserted them. */
    public void seedTutorial() throws InterruptedException {
        List<String> statements = tutorial.customersStatements();
        engines.postgres().execute(DATABASE, DB_USER, DB_PASSWORD, statements.toArray(String[]::new));
        say("seeded " + tutorial.customers().size() + " customers into Postgres");
        awaitCustomersInTable(tutorial.customers().stream().map(c -> c.getId()).toList());
        MongoDatabase logistics = mongo.getDatabase("logistics");
        tutorial.orderDocuments().forEach(d -> logistics.getCollection("orders").insertOne(new Document(d)));
        tutorial.shipmentDocuments().forEach(d -> logistics.getCollection("shipments").insertOne(new Document(d)));
        say("seeded " + tutorial.orderDocuments().size() + " orders and " + tutorial.shipmentDocuments().size()
                + " shipments into MongoDB");
    }

    /** demonstration.md's live step: a new customer, then an order of theirs, then its shipment. */
    public void liveStep() throws InterruptedException {
        TutorialData.LiveStep step = tutorial.liveStep();
        engines.postgres().execute(DATABASE, DB_USER, DB_PASSWORD, step.customerInsertSql());
        awaitCustomersInTable(List.of(step.customerId()));
        MongoDatabase logistics = mongo.getDatabase("logistics");
        logistics.getCollection("orders").insertOne(new Document(step.order()));
        logistics.getCollection("shipments").insertOne(new Document(step.shipment()));
        say("live step: inserted customer, order and shipment of demonstration.md");
    }

    /**
     * An order is joined to its customer as known when it is processed (as in ksqlDB): so the demo, like a
     * person typing the tutorial's commands, lets the customers reach the customer table before the orders.
     */
    public void awaitCustomersInTable(Collection<String> ids) {
        String enrichment = "http://127.0.0.1:" + services.get(PipelineService.ENRICHMENT.serviceName()).httpPort();
        if (!new CustomerTableProbe(enrichment, opsToken).awaitKnown(ids, Duration.ofMinutes(2))) {
            throw new IllegalStateException("enrichment-service's customer table did not know the " + ids.size()
                    + " customers within 2 min; see " + services.get(PipelineService.CUSTOMERS_CDC.serviceName()).log()
                    + " and " + services.get(PipelineService.ENRICHMENT.serviceName()).log());
        }
    }

    /** The index's documents by id (empty when it does not exist yet). */
    public Map<String, Map<String, Object>> documents() {
        HttpProbe.get(engines.searchUrl() + "/" + INDEX + "/_refresh");
        HttpProbe.Answer answer = HttpProbe.get(engines.searchUrl() + "/" + INDEX + "/_search?size=10000");
        Map<String, Map<String, Object>> documents = new LinkedHashMap<>();
        if (answer.status() != 200) {
            return documents;
        }
        try {
            for (JsonNode hit : JSON.readTree(answer.body()).path("hits").path("hits")) {
                documents.put(hit.get("_id").asText(), JSON.convertValue(hit.get("_source"),
                        new TypeReference<Map<String, Object>>() { }));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return documents;
    }

    public Collection<ServiceProcess> services() {
        return services.values();
    }

    public ServiceProcess service(String name) {
        return services.get(name);
    }

    /** How many records {@code topic} holds (a pipeline topic or its {@code .dlq}), as a committed reader sees them. */
    public long count(String topic) {
        return counts.of(topic);
    }

    public boolean awaitCount(String topic, long count, Duration timeout) throws InterruptedException {
        return counts.await(topic, count, timeout);
    }

    /** Kills a service (SIGKILL, as a crash) and starts it again from its jar at once. */
    public void crashAndRestart(String name) throws InterruptedException {
        crash(name);
        startAgain(name);
    }

    /** Kills a service (SIGKILL, as a crash); {@link #startAgain} brings it back. */
    public void crash(String name) throws InterruptedException {
        services.get(name).kill();
        say("stage " + name + ": killed (SIGKILL)");
    }

    public MongoClient mongo() {
        return mongo;
    }

    public Engines engines() {
        return engines;
    }

    /** Stops a service as an orchestrator would (SIGTERM) and starts it again from its jar. */
    public void restart(String name) throws InterruptedException {
        services.get(name).stop();
        say("stage " + name + ": stopped");
        startAgain(name);
    }

    /** Starts a service stopped or killed before from its jar, and waits until it is ready. */
    public void startAgain(String name) throws InterruptedException {
        ServiceProcess service = services.get(name);
        say("stage " + name + ": starting again");
        service.start();
        service.awaitReady(STAGE_TIMEOUT);
        say("stage " + name + ": ready again");
    }

    /**
     * Counts per topic, dead letters per topic, the records the join dropped as late (per side), and the
     * index: enough to tell on screen why a document did not appear.
     */
    public String progress() {
        StringBuilder line = new StringBuilder();
        counts.snapshot(TOPICS).forEach((topic, n) -> line.append(topic).append('=').append(n).append(' '));
        Map<String, Long> deadLetters = counts.deadLettersByTopic();
        line.append("| dead letters ").append(deadLetters.isEmpty() ? "none" : deadLetters.toString());
        line.append(" | late, not joined: ").append(joinLateRecords());
        line.append(" | index ").append(INDEX).append('=').append(documents().size()).append(" documents");
        line.append(" | freshness ").append(freshness());
        return line.toString();
    }

    /** From a change's commit to its document indexed, p50 / p99 over about the last minute (es-sink-service's). */
    private String freshness() {
        String scrape = HttpProbe.get(services.get(PipelineService.ES_SINK.serviceName()).metricsUrl()).body();
        OptionalDouble p50 = PrometheusText.max(scrape, "pipeline_index_freshness_recent_seconds", Map.of("quantile", "0.5"));
        OptionalDouble p99 = PrometheusText.max(scrape, "pipeline_index_freshness_recent_seconds", Map.of("quantile", "0.99"));
        return p50.isPresent() && p99.isPresent() && p99.getAsDouble() > 0
                ? String.format("p50 %.2f s, p99 %.2f s", p50.getAsDouble(), p99.getAsDouble()) : "none in the last minute";
    }

    /** The join's late-records-total by side, from its /metrics (0 until its sensor first reaches /metrics). */
    private Map<String, Long> joinLateRecords() {
        ServiceProcess join = services.get(PipelineService.SHIPMENT_JOIN.serviceName());
        Map<String, Long> late = new TreeMap<>(Map.of("order", 0L, "shipment", 0L));
        PrometheusText.sumBy(HttpProbe.get(join.metricsUrl()).body(), "kafka_stream_shipment_join_late_records_total",
                "shipment_join_id").forEach((side, n) -> late.merge(side, n.longValue(), Long::sum));
        return late;
    }

    /** What this demo listens on, in one line. */
    public String endpoints() {
        PostgresEndpoint postgres = engines.postgres();
        return "kafka " + engines.kafkaBootstrapServers() + ", postgres " + postgres.host() + ":" + postgres.port()
                + ", mongodb " + engines.mongoConnectionString() + ", " + engines.searchEngineName().toLowerCase() + " " + engines.searchUrl()
                + ", services" + servicePorts();
    }

    public String servicePorts() {
        StringBuilder ports = new StringBuilder();
        services.values().forEach(s -> ports.append(' ').append(s.name()).append(' ').append(s.httpPort()));
        return ports.toString();
    }

    @Override
    public void close() {
        List<ServiceProcess> reversed = new ArrayList<>(services.values());
        Collections.reverse(reversed);
        for (ServiceProcess service : reversed) {
            try {
                service.stop();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        try {
            if (counts != null) {
                counts.close();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (mongo != null) {
            mongo.close();
        }
        engines.close();
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }
}
