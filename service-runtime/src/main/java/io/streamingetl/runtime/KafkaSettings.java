package io.streamingetl.runtime;

/** The Kafka settings every service reads the same way. */
public final class KafkaSettings {
    public static final String DEFAULT_BOOTSTRAP_SERVERS = "127.0.0.1:29092";

    private KafkaSettings() {
    }

    public static String bootstrapServers(Settings settings) {
        String servers = settings.string("KAFKA_BOOTSTRAP_SERVERS", DEFAULT_BOOTSTRAP_SERVERS);
        for (String server : servers.split(",")) {
            if (!server.trim().matches("[^:\\s]+:\\d{1,5}")) {
                throw new SettingsException("KAFKA_BOOTSTRAP_SERVERS",
                        "is '" + servers + "', must be host:port[,host:port...]");
            }
        }
        return servers;
    }
}
