package io.streamingetl.runtime;

import io.streamingetl.contract.ConfluentRegistryClient;
import io.streamingetl.contract.InMemorySchemaRegistry;
import io.streamingetl.contract.SchemaRegistry;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Confluent-compatible schema registry a service's settings name: {@code SCHEMA_REGISTRY_URL} (the demo's by
 * default), with basic authentication when {@code SCHEMA_REGISTRY_USERNAME} is set ({@code SCHEMA_REGISTRY_PASSWORD}),
 * {@code SCHEMA_REGISTRY_TIMEOUT}. One client per registry and credentials in a process, so each schema is asked for
 * once whichever topic uses it. {@code mock://<scope>} is a registry in memory, as with Confluent's serdes, for
 * {@code TopologyTestDriver} tests.
 */
public final class SchemaRegistries {
    public static final String SCHEMA_REGISTRY_URL = "SCHEMA_REGISTRY_URL";
    private static final String MOCK_REGISTRY = "mock://";
    private static final Map<String, SchemaRegistry> CLIENTS = new ConcurrentHashMap<>();

    private SchemaRegistries() {
    }

    public static SchemaRegistry of(Settings settings) {
        String location = settings.string(SCHEMA_REGISTRY_URL, "http://127.0.0.1:8080/apis/ccompat/v7");
        if (location.startsWith(MOCK_REGISTRY)) {
            return InMemorySchemaRegistry.scope(location.substring(MOCK_REGISTRY.length()));
        }
        URI url = settings.uri(SCHEMA_REGISTRY_URL, location);
        if (!url.getScheme().equals("http") && !url.getScheme().equals("https")) {
            throw new SettingsException(SCHEMA_REGISTRY_URL, "is '" + url + "', must start with http:// or https://");
        }
        String username = settings.string("SCHEMA_REGISTRY_USERNAME", "");
        String password = settings.secret("SCHEMA_REGISTRY_PASSWORD", "");
        if (!username.isEmpty() && password.isEmpty()) {
            throw new SettingsException("SCHEMA_REGISTRY_PASSWORD", "is required when SCHEMA_REGISTRY_USERNAME is set");
        }
        Duration timeout = settings.duration("SCHEMA_REGISTRY_TIMEOUT", Duration.ofSeconds(10));
        return CLIENTS.computeIfAbsent(url + "\0" + username + "\0" + password.hashCode() + "\0" + timeout,
                key -> new ConfluentRegistryClient(url, username, password, timeout));
    }
}
