package io.streamingetl.localstack;

/**
 * The engines a test or the demo talks to, whoever runs them: {@link EmbeddedEngines} (in this JVM, no
 * Docker) or test-kit's {@code ContainerEngines} (Testcontainers). Each engine starts on first use.
 */
public interface Engines extends AutoCloseable {
    String kind();

    String kafkaBootstrapServers();

    PostgresEndpoint postgres();

    /** A connection string for a MongoDB replica set (the stand-in, in {@link EmbeddedEngines}). */
    String mongoConnectionString();

    String elasticsearchUrl();

    /** Makes Elasticsearch unreachable (its data kept) until {@link #resumeElasticsearch()}. */
    void suspendElasticsearch();

    void resumeElasticsearch();

    @Override
    void close();
}
