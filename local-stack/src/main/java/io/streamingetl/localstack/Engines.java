package io.streamingetl.localstack;

import io.streamingetl.contract.ConfluentRegistryClient;
import io.streamingetl.contract.SchemaRegistry;
import java.net.URI;

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

    /** A Confluent-compatible schema registry's API, what {@code SCHEMA_REGISTRY_URL} is set to. */
    String schemaRegistryUrl();

    /** A client of {@link #schemaRegistryUrl()}, to read what the services wrote. */
    default SchemaRegistry schemaRegistry() {
        return new ConfluentRegistryClient(URI.create(schemaRegistryUrl()));
    }

    /** Makes the schema registry answer nothing (its schemas kept) until {@link #resumeSchemaRegistry()}. */
    void suspendSchemaRegistry();

    void resumeSchemaRegistry();

    @Override
    void close();
}
