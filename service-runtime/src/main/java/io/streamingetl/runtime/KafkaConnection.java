package io.streamingetl.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * How every Kafka client of a service reaches the cluster, the same for all of them (producers, consumers,
 * admin, Kafka Streams, Debezium's offset store, {@code ./pipeline}): the bootstrap servers, the security
 * protocol, SASL and TLS, each from a {@code KAFKA_*} setting, plus any client property passed through as
 * {@code KAFKA_CLIENT_<PROPERTY>} ({@code KAFKA_CLIENT_CLIENT_DNS_LOOKUP=use_all_dns_ips}). Secrets may come from
 * files ({@code KAFKA_SASL_JAAS_CONFIG_FILE}) and never appear in {@link #toString()}.
 */
public final class KafkaConnection {
    /** Each named setting and the client property it sets. */
    static final Map<String, String> SETTINGS = orderedMap(
            "KAFKA_SECURITY_PROTOCOL", CommonClientConfigs.SECURITY_PROTOCOL_CONFIG,
            "KAFKA_SASL_MECHANISM", SaslConfigs.SASL_MECHANISM,
            "KAFKA_SASL_JAAS_CONFIG", SaslConfigs.SASL_JAAS_CONFIG,
            "KAFKA_SSL_TRUSTSTORE_LOCATION", SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG,
            "KAFKA_SSL_TRUSTSTORE_PASSWORD", SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG,
            "KAFKA_SSL_TRUSTSTORE_TYPE", SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG,
            "KAFKA_SSL_KEYSTORE_LOCATION", SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG,
            "KAFKA_SSL_KEYSTORE_PASSWORD", SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG,
            "KAFKA_SSL_KEYSTORE_TYPE", SslConfigs.SSL_KEYSTORE_TYPE_CONFIG,
            "KAFKA_SSL_KEY_PASSWORD", SslConfigs.SSL_KEY_PASSWORD_CONFIG,
            "KAFKA_SSL_ENDPOINT_IDENTIFICATION_ALGORITHM", SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG);
    private static final Set<String> SECRETS = Set.of("KAFKA_SASL_JAAS_CONFIG", "KAFKA_SSL_TRUSTSTORE_PASSWORD",
            "KAFKA_SSL_KEYSTORE_PASSWORD", "KAFKA_SSL_KEY_PASSWORD");
    private static final String PASS_THROUGH = "KAFKA_CLIENT_";

    private final Map<String, Object> properties;

    private KafkaConnection(Map<String, Object> properties) {
        this.properties = Collections.unmodifiableMap(properties);
    }

    /** A cluster reached in plain text at {@code bootstrapServers}: the local stack's. */
    public static KafkaConnection plaintext(String bootstrapServers) {
        return new KafkaConnection(new LinkedHashMap<>(Map.of(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers)));
    }

    /** The connection the settings describe; a wrong value fails here, naming its key. */
    public static KafkaConnection from(Settings settings) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, KafkaSettings.bootstrapServers(settings));
        settings.withPrefix(PASS_THROUGH).forEach((k, v) -> p.put(k.toLowerCase().replace('_', '.'), v));
        SETTINGS.forEach((key, property) -> {
            String value = SECRETS.contains(key) ? settings.secret(key, "") : settings.string(key, "");
            if (!value.isEmpty()) {
                p.put(property, value);
            }
        });
        String protocol = String.valueOf(p.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT"));
        List<String> protocols = SecurityProtocol.names();
        if (!protocols.contains(protocol.toUpperCase())) {
            throw new SettingsException("KAFKA_SECURITY_PROTOCOL", "is '" + protocol + "', must be one of " + protocols);
        }
        if (protocol.toUpperCase().startsWith("SASL_") && !p.containsKey(SaslConfigs.SASL_JAAS_CONFIG)) {
            throw new SettingsException("KAFKA_SASL_JAAS_CONFIG", "is required with KAFKA_SECURITY_PROTOCOL " + protocol
                    + " (or KAFKA_SASL_JAAS_CONFIG_FILE naming a file that holds it)");
        }
        for (String store : List.of("KAFKA_SSL_TRUSTSTORE_LOCATION", "KAFKA_SSL_KEYSTORE_LOCATION")) {
            Object location = p.get(SETTINGS.get(store));
            if (location != null && !Files.isReadable(Path.of(location.toString()))) {
                throw new SettingsException(store, "is '" + location + "', not a readable file");
            }
        }
        return new KafkaConnection(p);
    }

    public String bootstrapServers() {
        return (String) properties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG);
    }

    /** The client properties, to start a client's configuration with. */
    public Map<String, Object> properties() {
        return properties;
    }

    /** These properties and {@code more} (which win): a client's whole configuration. */
    public Map<String, Object> with(Map<String, ?> more) {
        Map<String, Object> all = new LinkedHashMap<>(properties);
        all.putAll(more);
        return all;
    }

    /** Whether {@code property} is one of the connection's (security, SASL, TLS), which every client must carry. */
    public static boolean isConnectionProperty(String property) {
        return property.equals(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) || property.startsWith("security.")
                || property.startsWith("sasl.") || property.startsWith("ssl.");
    }

    /** The bootstrap servers and protocol; secrets masked. */
    @Override
    public String toString() {
        return new TreeMap<>(properties).entrySet().stream()
                .map(e -> e.getKey() + "=" + (e.getKey().contains("password") || e.getKey().contains("jaas") ? "***" : e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }
}
