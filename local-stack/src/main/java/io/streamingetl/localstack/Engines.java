package io.streamingetl.localstack;

import io.streamingetl.contract.ConfluentRegistryClient;
import io.streamingetl.contract.SchemaRegistry;
import io.streamingetl.runtime.KafkaConnection;
import io.streamingetl.runtime.Settings;
import java.net.URI;
import java.util.Map;

/**
 * The engines a test or the demo talks to, whoever runs them: {@link EmbeddedEngines} (in this JVM, no
 * Docker) or test-kit's {@code ContainerEngines} (Testcontainers). Each engine starts on first use.
 */
public interface Engines extends AutoCloseable {
    String kind();

    String kafkaBootstrapServers();

    /**
     * The {@code KAFKA_*} settings a client of the broker needs, as a service reads them: its bootstrap servers, and
     * its security when it has any.
     */
    default Map<String, String> kafkaClientSettings() {
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", kafkaBootstrapServers());
    }

    /** {@link #kafkaClientSettings()} as the clients' properties. */
    default KafkaConnection kafkaConnection() {
        return KafkaConnection.from(new Settings(kafkaClientSettings()));
    }

    PostgresEndpoint postgres();

    /** A connection string for a MongoDB replica set (the stand-in, in {@link EmbeddedEngines}). */
    String mongoConnectionString();

    /** The search engine's REST API, what the sink's {@code ES_URL} is set to. */
    String searchUrl();

    /** Elasticsearch or OpenSearch: how the engine names itself, as the sink's messages name it. */
    String searchEngineName();

    /** Makes the search engine unreachable (its data kept) until {@link #resumeSearchEngine()}. */
    void suspendSearchEngine();

    void resumeSearchEngine();

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
