package io.streamingetl.harness;

import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.streamingetl.contract.PipelineService;
import io.streamingetl.contract.Topic;
import io.streamingetl.contract.Topics;
import io.streamingetl.localstack.EmbeddedEngines;
import io.streamingetl.localstack.Engines;
import io.streamingetl.localstack.FreePorts;
import io.streamingetl.localstack.KafkaEngine;
import io.streamingetl.localstack.PostgresEndpoint;
import io.streamingetl.runtime.KafkaConnection;
import io.streamingetl.runtime.OpsSettings;
import io.streamingetl.runtime.SafeText;
import io.streamingetl.runtime.SchemaRegistries;
import io.streamingetl.runtime.ServiceLauncher;
import io.streamingetl.runtime.TopicAdmin;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.awaitility.core.ConditionTimeoutException;

/**
 * The whole pipeline on one machine: the engines (embedded, or any {@link Engines}), the databases,
 * users, table and collections the tutorial created by hand, the five services as separate processes from
 * their own jars, the tutorial's data, and progress as it flows: a library, which {@link DemoMain} (the
 * command line of {@code ./demo.sh}), the benchmark and the end-to-end tests drive.
 */
public final class LocalPipeline implements AutoCloseable {
    public static final String DATABASE = TutorialLoader.DATABASE;
    public static final String DB_USER = TutorialLoader.DB_USER;
    public static final String DB_PASSWORD = TutorialLoader.DB_PASSWORD;
    /** customers-cdc's login: no superuser, reading the table, writing only the signal table (postgres/init/02-customers-cdc.sql). */
    public static final String CAPTURE_USER = PostgresEndpoint.CAPTURE_ROLE;
    /** Its password, new in each process: only the services this process starts need it. */
    public static final String CAPTURE_PASSWORD = OperatorFiles.newSecret();
    public static final String INDEX = "shipped_orders";
    public static final List<String> SERVICES = Arrays.stream(PipelineService.values()).map(PipelineService::serviceName).toList();
    public static final List<String> TOPICS = Topics.ALL.stream().map(Topic::name).toList();
    private static final Duration STAGE_TIMEOUT = Duration.ofMinutes(3);
    private static final Set<PipelineService> SCALABLE = EnumSet.of(PipelineService.ENRICHMENT, PipelineService.SHIPMENT_JOIN,
            PipelineService.ES_SINK);

    /**
     * Where the repository is, where the demo keeps its files, the first of consecutive HTTP ports for the
     * services (0: any free ones), the partitions of each pipeline topic, the instances of each service that
     * scales by partitions (enrichment, shipment join, sink; the CDC services run one each), settings
     * given to every service besides the engines' own, and what the pipeline names on the engines (the contract's
     * names, or names of its own beside other pipelines on the same engines).
     */
    public record Options(Path repositoryRoot, Path workDir, int firstHttpPort, int partitions, int instances,
                          Map<String, String> environment, PipelineNames names) {
        public Options(Path repositoryRoot, Path workDir, int firstHttpPort, int partitions) {
            this(repositoryRoot, workDir, firstHttpPort, partitions, 1, Map.of());
        }

        public Options(Path repositoryRoot, Path workDir, int firstHttpPort, int partitions, int instances,
                       Map<String, String> environment) {
            this(repositoryRoot, workDir, firstHttpPort, partitions, instances, environment, PipelineNames.CONTRACT);
        }

        /** The same options, the pipeline named by {@code other}. */
        public Options named(PipelineNames other) {
            return new Options(repositoryRoot, workDir, firstHttpPort, partitions, instances, environment, other);
        }

        /** Settings given to every service may hold secrets: their values stay out of anything printed. */
        @Override
        public String toString() {
            return "Options[repositoryRoot=" + repositoryRoot + ", workDir=" + workDir + ", firstHttpPort=" + firstHttpPort
                    + ", partitions=" + partitions + ", instances=" + instances + ", environment=" + SafeText.masked(environment)
                    + ", names=" + names + "]";
        }
    }

    private final Engines engines;
    private final boolean ownsEngines;
    private final Options options;
    private final PipelineNames names;
    private String opsToken;
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    private MongoClient mongo;
    private boolean postgresStarted;
    private PipelineCounts counts;
    private TutorialLoader tutorial;
    private ProgressLine progress;

    private LocalPipeline(Engines engines, boolean ownsEngines, Options options) {
        this.engines = engines;
        this.ownsEngines = ownsEngines;
        this.options = options;
        this.names = options.names();
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

    /** Starts everything but loads no data; each stage says when it is up. Closing it closes the engines too. */
    public static LocalPipeline start(Engines engines, Options options) throws InterruptedException {
        return start(new LocalPipeline(engines, true, options));
    }

    /**
     * Starts the services on engines that others use too (a test run's), under the names of {@code options}: closing
     * it stops the services and leaves the engines running, with what this pipeline wrote in them.
     */
    public static LocalPipeline startOnSharedEngines(Engines engines, Options options) throws InterruptedException {
        return start(new LocalPipeline(engines, false, options));
    }

    private static LocalPipeline start(LocalPipeline demo) throws InterruptedException {
        try {
            demo.startEngines();
            demo.startServices();
            return demo;
        } catch (RuntimeException | InterruptedException | Error e) {
            demo.close();
            throw e;
        }
    }

    private void startEngines() {
        opsToken = OperatorFiles.writeNewOpsToken(options.workDir());
        say("stage kafka: starting");
        String kafka = engines.kafkaBootstrapServers();
        KafkaConnection connection = engines.kafkaConnection();
        Map<String, String> clientSettings = engines.kafkaClientSettings();
        if (clientSettings.containsKey("KAFKA_SECURITY_PROTOCOL")) {
            Path env = OperatorFiles.writeKafkaClientSettings(options.workDir(), clientSettings);
            say("stage kafka: up at " + kafka + " (" + clientSettings.get("KAFKA_SECURITY_PROTOCOL") + " only, "
                    + clientSettings.get("KAFKA_SASL_MECHANISM") + " user " + KafkaEngine.CLIENT_USER + "; a client's settings: . "
                    + options.repositoryRoot().relativize(env) + ")");
        } else {
            say("stage kafka: up at " + kafka);
        }
        TopicAdmin.ensureTopics(connection, names.topics(), TopicAdmin.Layout.of(options.partitions(), (short) -1));
        counts = new PipelineCounts(connection, names.topics());

        say("stage schema-registry: starting");
        URI registry = URI.create(engines.schemaRegistryUrl());
        say("stage schema-registry: up at " + registry.getScheme() + "://" + registry.getAuthority() + " (Confluent-compatible API "
                + registry.getPath() + ", BACKWARD compatibility, schemas in memory)");

        say("stage postgres: starting");
        PostgresEndpoint postgres = engines.postgres();
        postgresStarted = true;
        postgres.createDatabase(names.database(), DB_USER, DB_PASSWORD);
        postgres.execute(names.database(), DB_USER, DB_PASSWORD, PostgresEndpoint.initScript("01-customers.sql"));
        postgres.grantCapture(names.database(), CAPTURE_PASSWORD);
        say("stage postgres: up at " + postgres.host() + ":" + postgres.port() + ", database " + names.database()
                + " with table customers, user " + DB_USER + "; customers-cdc logs in as " + CAPTURE_USER
                + " (replication, reads customers, writes only debezium_signal)");

        say("stage mongodb: starting");
        mongo = MongoClients.create(engines.mongoConnectionString());
        MongoDatabase logistics = logistics();
        for (String collection : List.of("orders", "shipments")) {
            if (!logistics.listCollectionNames().into(new ArrayList<>()).contains(collection)) {
                logistics.createCollection(collection);
            }
        }
        say("stage mongodb: up at " + engines.mongoConnectionString() + ", collections " + names.logisticsDatabase() + ".orders and "
                + names.logisticsDatabase() + ".shipments"
                + (engines instanceof EmbeddedEngines ? " (STAND-IN: mongo-java-server, not a real mongod)" : ""));

        String search = engines.searchEngineName().toLowerCase();
        say("stage " + search + ": starting");
        say("stage " + search + ": up at " + engines.searchUrl());
    }

    public String opsToken() {
        return opsToken;
    }

    private Map<String, String> environmentOf(PipelineService service, String instance) {
        Map<String, String> env = new LinkedHashMap<>(names.settingsOf(service));
        env.putAll(options.environment());
        env.putAll(engines.kafkaClientSettings());
        env.put(SchemaRegistries.SCHEMA_REGISTRY_URL, engines.schemaRegistryUrl());
        env.put(ServiceLauncher.EXIT_WITH_PARENT, "true");
        env.put(OpsSettings.OPS_TOKEN, opsToken);
        switch (service) {
            case CUSTOMERS_CDC -> {
                env.put("POSTGRES_HOST", engines.postgres().host());
                env.put("POSTGRES_PORT", Integer.toString(engines.postgres().port()));
                env.put("POSTGRES_USER", CAPTURE_USER);
                env.put("POSTGRES_PASSWORD", CAPTURE_PASSWORD);
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
        String enrichment = "http://127.0.0.1:" + services.get(PipelineService.ENRICHMENT.serviceName()).httpPort();
        tutorial = new TutorialLoader(engines.postgres(), names.database(), DB_USER, DB_PASSWORD, logistics(),
                new CustomerTableProbe(enrichment), LocalPipeline::say);
        progress = new ProgressLine(counts, names.topics(), engines.searchUrl(), names.index(),
                services.get(PipelineService.SHIPMENT_JOIN.serviceName()).metricsUrl(),
                services.get(PipelineService.ES_SINK.serviceName()).metricsUrl(),
                List.of(PipelineService.CUSTOMERS_CDC, PipelineService.LOGISTICS_CDC).stream()
                        .map(cdc -> "http://127.0.0.1:" + services.get(cdc.serviceName()).httpPort() + "/status").toList());
    }

    /**
     * The tutorial's customers, then its orders and shipments, as the seed inserted them; returns once the index
     * holds the documents they make, so that whoever is told READY next finds them.
     */
    public void seedTutorial() {
        tutorial.seed();
        Set<String> expected = tutorial.expectedDocumentIds();
        try {
            await().atMost(STAGE_TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> documents().keySet().containsAll(expected));
        } catch (ConditionTimeoutException e) {
            throw new IllegalStateException("the index " + names.index() + " did not hold the tutorial's documents " + expected + " within "
                    + STAGE_TIMEOUT.toSeconds() + " s (it holds " + documents().keySet() + "): see ./pipeline status and the services' logs");
        }
    }

    /** demonstration.md's live step: a new customer, then an order of theirs, then its shipment. */
    public void liveStep() {
        tutorial.liveStep();
    }

    /** Returns once enrichment-service's customer table knows each of {@code ids} (orders inserted after meet them). */
    public void awaitCustomersInTable(Collection<String> ids) {
        tutorial.awaitCustomers(ids);
    }

    /** The index's documents by id (empty when it does not exist yet). */
    public Map<String, Map<String, Object>> documents() {
        return IndexContents.documents(engines.searchUrl(), names.index());
    }

    /** What this pipeline names on its engines. */
    public PipelineNames names() {
        return names;
    }

    /** The name {@code topic} of the contract has in this pipeline. */
    public String topic(Topic<String, ?> topic) {
        return names.topic(topic);
    }

    /** This pipeline's topics, in the order changes flow through them. */
    public List<String> topics() {
        return names.topics();
    }

    /** The index (the alias) its sink writes. */
    public String index() {
        return names.index();
    }

    /** The Postgres database of its {@code customers} table. */
    public String database() {
        return names.database();
    }

    /** The MongoDB database of its {@code orders} and {@code shipments}. */
    public MongoDatabase logistics() {
        return mongo.getDatabase(names.logisticsDatabase());
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

    /** Counts per topic, dead letters, late records, the index and its freshness, in one line. */
    public String progress() {
        return progress.now();
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
        if (ownsEngines) {
            engines.close();
        } else if (!names.equals(PipelineNames.CONTRACT) && postgresStarted) {
            // On engines others go on using: its slot would keep WAL and take one of the server's few slots.
            engines.postgres().dropReplicationSlot(names.slot(), Duration.ofSeconds(30));
        }
    }
}
