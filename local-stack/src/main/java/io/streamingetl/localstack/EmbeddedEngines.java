package io.streamingetl.localstack;

import io.streamingetl.mongostandin.MongoReplicaSetStandIn;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.utils.AppInfoParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every engine started by this JVM, from Maven Central alone: a real Kafka broker, a real Postgres server, a real
 * Elasticsearch node, a real schema registry (a process of its own), and a MongoDB stand-in (no mongod can be
 * had here; see {@link MongoReplicaSetStandIn}).
 * Ports are free ones (tests) or the contract's (the demo); data lives under {@code dataDir}, or in
 * temporary directories when it is null. Each engine starts on first use and logs how long it took.
 */
public final class EmbeddedEngines implements Engines {
    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedEngines.class);

    /** The ports of each engine; 0 for a free one. */
    public record Ports(int kafka, int postgres, int mongo, int elasticsearch, int schemaRegistry) {
        public static final Ports FREE = new Ports(0, 0, 0, 0, 0);
        public static final Ports CONTRACT = new Ports(29092, 5432, 27017, 9200, 8080);
    }

    private final Ports ports;
    private final Path dataDir;
    private final KafkaEngine.Security kafkaSecurity;
    private final int kafkaNodes;
    private KafkaEngine kafka;
    private KafkaCluster kafkaCluster;
    private PostgresEngine postgres;
    private MongoReplicaSetStandIn mongo;
    private ElasticsearchEngine elasticsearch;
    private SchemaRegistryEngine schemaRegistry;

    public EmbeddedEngines(Ports ports, Path dataDir) {
        this(ports, dataDir, KafkaEngine.Security.PLAINTEXT);
    }

    public EmbeddedEngines(Ports ports, Path dataDir, KafkaEngine.Security kafkaSecurity) {
        this(ports, dataDir, kafkaSecurity, 1);
    }

    private EmbeddedEngines(Ports ports, Path dataDir, KafkaEngine.Security kafkaSecurity, int kafkaNodes) {
        this.ports = ports;
        this.dataDir = dataDir;
        this.kafkaSecurity = kafkaSecurity;
        this.kafkaNodes = kafkaNodes;
    }

    public static EmbeddedEngines onFreePorts() {
        return new EmbeddedEngines(Ports.FREE, null);
    }

    /** On free ports, with Kafka a {@link KafkaCluster} of {@code nodes} processes instead of one in-process broker. */
    public static EmbeddedEngines withKafkaCluster(int nodes) {
        return new EmbeddedEngines(Ports.FREE, null, KafkaEngine.Security.PLAINTEXT, nodes);
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

    public synchronized ElasticsearchEngine elasticsearch() {
        if (elasticsearch == null) {
            long start = System.nanoTime();
            elasticsearch = ElasticsearchEngine.start(ports.elasticsearch(), dir("elasticsearch"));
            LOG.info("Elasticsearch 7.10.2 (real node, in-process) ready at {} in {} ms",
                    elasticsearch.url(), millisSince(start));
        }
        return elasticsearch;
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
    public String elasticsearchUrl() {
        return elasticsearch().url();
    }

    @Override
    public void suspendElasticsearch() {
        elasticsearch().stop();
    }

    @Override
    public void resumeElasticsearch() {
        elasticsearch().restart();
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
        // Elasticsearch and the databases first: nothing should write to Kafka while it stops.
        closeQuietly(elasticsearch);
        closeQuietly(schemaRegistry);
        closeQuietly(mongo);
        closeQuietly(postgres);
        closeQuietly(kafka);
        closeQuietly(kafkaCluster);
        elasticsearch = null;
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
