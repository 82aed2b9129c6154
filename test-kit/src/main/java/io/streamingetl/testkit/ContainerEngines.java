package io.streamingetl.testkit;

import io.streamingetl.localstack.Engines;
import io.streamingetl.localstack.PostgresEndpoint;
import java.util.ArrayList;
import java.util.List;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.elasticsearch.ElasticsearchContainer;
import org.testcontainers.kafka.KafkaContainer;
import org.testcontainers.mongodb.MongoDBContainer;
import org.testcontainers.postgresql.PostgreSQLContainer;

/**
 * The same engines as {@link EmbeddedEngines}, in containers: Kafka (apache/kafka, KRaft), Postgres 17 with
 * logical decoding, a real {@code mongo:7} replica set, Elasticsearch 7.17 and Apicurio Registry (in memory, its
 * Confluent-compatible API, BACKWARD compatibility). Only where Docker runs.
 */
public final class ContainerEngines implements Engines {
    public static final String KAFKA_IMAGE = "apache/kafka:4.3.1";
    public static final String POSTGRES_IMAGE = "postgres:17";
    public static final String MONGO_IMAGE = "mongo:7";
    public static final String ELASTICSEARCH_IMAGE = "docker.elastic.co/elasticsearch/elasticsearch:7.17.29";
    public static final String SCHEMA_REGISTRY_IMAGE = "apicurio/apicurio-registry-mem:2.6.13.Final";

    private final List<GenericContainer<?>> started = new ArrayList<>();
    private KafkaContainer kafka;
    private PostgreSQLContainer postgres;
    private MongoDBContainer mongo;
    private ElasticsearchContainer elasticsearch;
    private GenericContainer<?> schemaRegistry;

    public static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @Override
    public String kind() {
        return "containers";
    }

    private <C extends GenericContainer<?>> C start(C container) {
        container.start();
        started.add(container);
        return container;
    }

    @Override
    public synchronized String kafkaBootstrapServers() {
        if (kafka == null) {
            kafka = start(new KafkaContainer(KAFKA_IMAGE));
        }
        return kafka.getBootstrapServers();
    }

    @Override
    public synchronized PostgresEndpoint postgres() {
        if (postgres == null) {
            postgres = start(new PostgreSQLContainer(POSTGRES_IMAGE)
                    .withCommand("postgres", "-c", "wal_level=logical", "-c", "max_replication_slots=10",
                            "-c", "max_wal_senders=10"));
        }
        return new PostgresEndpoint(postgres.getHost(), postgres.getFirstMappedPort(), postgres.getUsername(),
                postgres.getPassword());
    }

    @Override
    public synchronized String mongoConnectionString() {
        if (mongo == null) {
            mongo = start(new MongoDBContainer(MONGO_IMAGE).withReplicaSet());
        }
        return mongo.getReplicaSetUrl();
    }

    @Override
    public synchronized String searchUrl() {
        if (elasticsearch == null) {
            elasticsearch = start(new ElasticsearchContainer(ELASTICSEARCH_IMAGE)
                    .withEnv("xpack.security.enabled", "false")
                    .withEnv("ES_JAVA_OPTS", "-Xms512m -Xmx512m"));
        }
        return "http://" + elasticsearch.getHttpHostAddress();
    }

    @Override
    public String searchEngineName() {
        return "Elasticsearch";
    }

    @Override
    public void suspendSearchEngine() {
        searchUrl();
        DockerClientFactory.instance().client().pauseContainerCmd(elasticsearch.getContainerId()).exec();
    }

    @Override
    public void resumeSearchEngine() {
        DockerClientFactory.instance().client().unpauseContainerCmd(elasticsearch.getContainerId()).exec();
    }

    @Override
    public synchronized String schemaRegistryUrl() {
        if (schemaRegistry == null) {
            schemaRegistry = start(new GenericContainer<>(SCHEMA_REGISTRY_IMAGE)
                    .withEnv("REGISTRY_RULES_GLOBAL_COMPATIBILITY", "BACKWARD")
                    .withExposedPorts(8080)
                    .waitingFor(Wait.forHttp("/apis/ccompat/v7/subjects")));
        }
        return "http://" + schemaRegistry.getHost() + ":" + schemaRegistry.getFirstMappedPort() + "/apis/ccompat/v7";
    }

    @Override
    public void suspendSchemaRegistry() {
        schemaRegistryUrl();
        DockerClientFactory.instance().client().pauseContainerCmd(schemaRegistry.getContainerId()).exec();
    }

    @Override
    public void resumeSchemaRegistry() {
        DockerClientFactory.instance().client().unpauseContainerCmd(schemaRegistry.getContainerId()).exec();
    }

    @Override
    public synchronized void close() {
        started.forEach(GenericContainer::stop);
        started.clear();
    }
}
