package io.streamingetl.localstack;

import io.streamingetl.mongostandin.MongoReplicaSetStandIn;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.common.utils.AppInfoParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every engine started by this JVM, from Maven Central alone: a real Kafka broker, a real Postgres server, a real
 * search engine (Elasticsearch 7.10 in-process, or OpenSearch 2.19 as a process: {@link SearchEngineKind}), a real
 * schema registry (a process of its own), and a MongoDB stand-in (no mongod can be had here; see
 * {@link MongoReplicaSetStandIn}).
 * Ports are free ones (tests) or the contract's (the demo); data lives under {@code dataDir}, or in
 * temporary directories when it is null. Each engine starts on first use and logs how long it took.
 */
public final class EmbeddedEngines implements Engines {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedEngines.class);

    /** The ports of each engine; 0 for a free one. */
    public record Ports(int kafka, int postgres, int mongo, int search, int schemaRegistry) {
        public static final Ports FREE = new Ports(0, 0, 0, 0, 0);
        public static final Ports CONTRACT = new Ports(29092, 5432, 27017, 9200, 8080);
    }

    /**
     * The tests' search engines take at most 2 MB per request (their default is 100 MB), so a test can send a
     * bulk request or a document larger than that without needing hundreds of megabytes.
     */
    public static final Map<String, String> TEST_SEARCH_SETTINGS = Map.of("http.max_content_length", "2mb");

    private final Ports ports;
    private final Path dataDir;
    private final KafkaEngine.Security kafkaSecurity;
    private final int kafkaNodes;
    private final SearchEngineKind searchEngine;
    private final Map<String, String> searchSettings;
    private final Map<SearchEngineKind, SearchNode> searchNodes = new EnumMap<>(SearchEngineKind.class);
    private KafkaEngine kafka;
    private KafkaCluster kafkaCluster;
    private PostgresEngine postgres;
    private MongoReplicaSetStandIn mongo;
    private SchemaRegistryEngine schemaRegistry;

    public EmbeddedEngines(Ports ports, Path dataDir) {
        this(ports, dataDir, KafkaEngine.Security.PLAINTEXT, SearchEngineKind.ELASTICSEARCH);
    }

    public EmbeddedEngines(Ports ports, Path dataDir, KafkaEngine.Security kafkaSecurity, SearchEngineKind searchEngine) {
        this(ports, dataDir, kafkaSecurity, 1, searchEngine, Map.of());
    }

    private EmbeddedEngines(Ports ports, Path dataDir, KafkaEngine.Security kafkaSecurity, int kafkaNodes,
                            SearchEngineKind searchEngine, Map<String, String> searchSettings) {
        this.ports = ports;
        this.dataDir = dataDir;
        this.kafkaSecurity = kafkaSecurity;
        this.kafkaNodes = kafkaNodes;
        this.searchEngine = searchEngine;
        this.searchSettings = searchSettings;
    }

    /** For tests: free ports, temporary data, {@link #TEST_SEARCH_SETTINGS}, the search engine of {@code kind}. */
    public static EmbeddedEngines onFreePorts(SearchEngineKind kind) {
        return new EmbeddedEngines(Ports.FREE, null, KafkaEngine.Security.PLAINTEXT, 1, kind, TEST_SEARCH_SETTINGS);
    }

    public static EmbeddedEngines onFreePorts() {
        return onFreePorts(SearchEngineKind.ELASTICSEARCH);
    }

    /** On free ports, with Kafka a {@link KafkaCluster} of {@code nodes} processes instead of one in-process broker. */
    public static EmbeddedEngines withKafkaCluster(int nodes) {
        return new EmbeddedEngines(Ports.FREE, null, KafkaEngine.Security.PLAINTEXT, nodes, SearchEngineKind.ELASTICSEARCH,
                TEST_SEARCH_SETTINGS);
    }

    public SearchEngineKind searchEngineKind() {
        return searchEngine;
    }

    @Override
    public String kind() {
        return "embedded";
    }

    private Path dir(String engine) {
        return dataDir == null ? null : dataDir.resolve(engine);
    }

    public synchronized KafkaEngine kafka() {
        if (kafka == null) {
            long start = System.nanoTime();
            kafka = KafkaEngine.start(ports.kafka(), dir("kafka"), kafkaSecurity);
            LOG.info("Kafka {} (real broker, KRaft, in-process, {}) ready at {} in {} ms",
                    AppInfoParser.getVersion(), kafkaSecurity, kafka.bootstrapServers(), millisSince(start));
        }
        return kafka;
    }

    /** The cluster of {@link #withKafkaCluster}, started on first use. */
    public synchronized KafkaCluster kafkaCluster() {
        if (kafkaNodes == 1) {
            throw new IllegalStateException("These engines run one in-process broker, not a cluster");
        }
        if (kafkaCluster == null) {
            long start = System.nanoTime();
            kafkaCluster = KafkaCluster.start(kafkaNodes, dir("kafka"));
            LOG.info("Kafka {} (real cluster of {} KRaft nodes, each its own process) ready at {} in {} ms",
                    AppInfoParser.getVersion(), kafkaNodes, kafkaCluster.bootstrapServers(), millisSince(start));
        }
        return kafkaCluster;
    }

    public synchronized PostgresEngine postgresEngine() {
        if (postgres == null) {
            long start = System.nanoTime();
            postgres = PostgresEngine.start(ports.postgres(), dir("postgres"));
            LOG.info("Postgres 17 (real server, embedded binaries) ready at 127.0.0.1:{} in {} ms",
                    postgres.port(), millisSince(start));
        }
        return postgres;
    }

    public synchronized MongoReplicaSetStandIn mongo() {
        if (mongo == null) {
            long start = System.nanoTime();
            mongo = MongoReplicaSetStandIn.start("127.0.0.1", ports.mongo(), "my-replica-set");
            LOG.info("MongoDB STAND-IN ready at {} in {} ms", mongo.connectionString(), millisSince(start));
        }
        return mongo;
    }

    /** The search engine of {@code kind}, started on first use (on the search port only when it is the configured one). */
    public synchronized SearchNode searchNode(SearchEngineKind kind) {
        return searchNodes.computeIfAbsent(kind, k -> {
            long start = System.nanoTime();
            SearchNode node = k.start(k == searchEngine ? ports.search() : 0, dir(k.name().toLowerCase()), searchSettings);
            LOG.info("{} ({}) ready at {} in {} ms", k.displayName(), k.how(), node.url(), millisSince(start));
            return node;
        });
    }

    /** The same engines, with {@code kind} as the search engine: the twin of a scenario on the other engine. */
    public Engines withSearchEngine(SearchEngineKind kind) {
        return new SearchEngineView("embedded-" + kind.name().toLowerCase(), kind, () -> searchNode(kind), this::close);
    }

    /**
     * The same engines but for a search engine node of {@code kind} of their own, started on first use on any free
     * port and stopped when the view is closed (the shared engines go on): for a scenario that stops its search
     * engine while others use theirs.
     */
    public Engines withOwnSearchEngine(SearchEngineKind kind) {
        SearchNode[] own = new SearchNode[1];
        return new SearchEngineView("embedded-own-" + kind.name().toLowerCase(), kind, () -> {
            synchronized (own) {
                if (own[0] == null) {
                    long start = System.nanoTime();
                    own[0] = kind.start(0, null, searchSettings);
                    LOG.info("{} ({}, a node of its own) ready at {} in {} ms", kind.displayName(), kind.how(), own[0].url(),
                            millisSince(start));
                }
                return own[0];
            }
        }, () -> {
            synchronized (own) {
                closeQuietly(own[0]);
                own[0] = null;
            }
        });
    }

    /** These engines with the search engine {@code node} gives; closing it does {@code onClose}. */
    private final class SearchEngineView implements Engines {
        private final String kind;
        private final SearchEngineKind searchKind;
        private final Supplier<SearchNode> node;
        private final Runnable onClose;

        SearchEngineView(String kind, SearchEngineKind searchKind, Supplier<SearchNode> node, Runnable onClose) {
            this.kind = kind;
            this.searchKind = searchKind;
            this.node = node;
            this.onClose = onClose;
        }

        public String kind() {
            return kind;
        }

        public String kafkaBootstrapServers() {
            return EmbeddedEngines.this.kafkaBootstrapServers();
        }

        public Map<String, String> kafkaClientSettings() {
            return EmbeddedEngines.this.kafkaClientSettings();
        }

        public PostgresEndpoint postgres() {
            return EmbeddedEngines.this.postgres();
        }

        public String mongoConnectionString() {
            return EmbeddedEngines.this.mongoConnectionString();
        }

        public String searchUrl() {
            return node.get().url();
        }

        public String searchEngineName() {
            return searchKind.family();
        }

        public void suspendSearchEngine() {
            node.get().stop();
        }

        public void resumeSearchEngine() {
            node.get().restart();
        }

        public String schemaRegistryUrl() {
            return EmbeddedEngines.this.schemaRegistryUrl();
        }

        public void suspendSchemaRegistry() {
            EmbeddedEngines.this.suspendSchemaRegistry();
        }

        public void resumeSchemaRegistry() {
            EmbeddedEngines.this.resumeSchemaRegistry();
        }

        /**
         * For {@link #withSearchEngine}: closes the shared engines, as closing them would (each starts again, empty, on
         * its next use); for {@link #withOwnSearchEngine}: stops its own node only.
         */
        public void close() {
            onClose.run();
        }
    }

    public synchronized SchemaRegistryEngine schemaRegistryEngine() {
        if (schemaRegistry == null) {
            long start = System.nanoTime();
            schemaRegistry = SchemaRegistryEngine.start(ports.schemaRegistry(), dir("schema-registry"));
            LOG.info("Schema registry (Apicurio, real server, own process) ready at {} in {} ms",
                    schemaRegistry.url(), millisSince(start));
        }
        return schemaRegistry;
    }

    @Override
    public String kafkaBootstrapServers() {
        return kafkaNodes == 1 ? kafka().bootstrapServers() : kafkaCluster().bootstrapServers();
    }

    @Override
    public Map<String, String> kafkaClientSettings() {
        return kafkaNodes == 1 ? kafka().clientSettings() : kafkaCluster().clientSettings();
    }

    @Override
    public PostgresEndpoint postgres() {
        return postgresEngine().endpoint();
    }

    @Override
    public String mongoConnectionString() {
        return mongo().connectionString();
    }

    @Override
    public String searchUrl() {
        return searchNode(searchEngine).url();
    }

    @Override
    public String searchEngineName() {
        return searchEngine.family();
    }

    @Override
    public void suspendSearchEngine() {
        searchNode(searchEngine).stop();
    }

    @Override
    public void resumeSearchEngine() {
        searchNode(searchEngine).restart();
    }

    @Override
    public String schemaRegistryUrl() {
        return schemaRegistryEngine().url();
    }

    @Override
    public void suspendSchemaRegistry() {
        schemaRegistryEngine().suspend();
    }

    @Override
    public void resumeSchemaRegistry() {
        schemaRegistryEngine().resume();
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    @Override
    public synchronized void close() {
        // The search engines and the databases first: nothing should write to Kafka while it stops.
        searchNodes.values().forEach(EmbeddedEngines::closeQuietly);
        searchNodes.clear();
        closeQuietly(schemaRegistry);
        closeQuietly(mongo);
        closeQuietly(postgres);
        closeQuietly(kafka);
        closeQuietly(kafkaCluster);
        schemaRegistry = null;
        mongo = null;
        postgres = null;
        kafka = null;
        kafkaCluster = null;
    }

    private static void closeQuietly(AutoCloseable engine) {
        if (engine == null) {
            return;
        }
        try {
            engine.close();
        } catch (Exception e) {
            LOG.warn("Closing {} failed: {}", engine.getClass().getSimpleName(), e.toString());
        }
    }
}
