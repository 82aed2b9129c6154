package io.streamingetl.cdc;

import io.streamingetl.runtime.KafkaConnection;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.SettingsException;
import io.streamingetl.runtime.TopicAdmin;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.common.config.SaslConfigs;

/**
 * Debezium's Kafka signal channel, off unless {@code SIGNAL_KAFKA_ENABLED=true}: whoever may write to its topic can
 * start snapshots with any condition, without the operator's token ({@code ./pipeline snapshot} goes through
 * {@link OperatorSignals} either way). When on, its topic ({@code SIGNAL_TOPIC}, {@code <service>-signals}, one
 * partition) is created when missing and, on a cluster with an authorizer, only the services' principal
 * ({@code SIGNAL_KAFKA_PRINCIPAL}; by default {@code User:<the SASL user of KAFKA_SASL_JAAS_CONFIG>}) is allowed on it.
 */
public record KafkaSignals(boolean enabled, String topic, String principal) {
    private static final Pattern SASL_USER = Pattern.compile("username\\s*=\\s*\"([^\"]+)\"");

    static KafkaSignals from(Settings settings, String service, KafkaConnection kafka) {
        Object jaas = kafka.properties().get(SaslConfigs.SASL_JAAS_CONFIG);
        Matcher user = SASL_USER.matcher(jaas == null ? "" : jaas.toString());
        String principal = settings.string("SIGNAL_KAFKA_PRINCIPAL", user.find() ? "User:" + user.group(1) : "");
        if (!principal.isEmpty() && !principal.matches("[A-Za-z]+:.+")) {
            throw new SettingsException("SIGNAL_KAFKA_PRINCIPAL", "is '" + principal
                    + "', must be a Kafka principal such as User:pipeline");
        }
        return new KafkaSignals(settings.bool("SIGNAL_KAFKA_ENABLED", false), settings.string("SIGNAL_TOPIC", service + "-signals"),
                principal);
    }

    /** The channel's engine properties, when it is on: its topic, and its consumer connecting as every client does. */
    void addTo(Properties engine, KafkaConnection kafka, String engineName) {
        if (!enabled) {
            return;
        }
        engine.put("signal.kafka.topic", topic);
        engine.put("signal.kafka.bootstrap.servers", kafka.bootstrapServers());
        engine.put("signal.kafka.groupId", group(engineName));
        engine.put("signal.kafka.poll.timeout.ms", "500");
        kafka.properties().forEach((key, value) -> engine.put("signal.consumer." + key, value));
    }

    /** When on: the topic created when missing, and only the services' principal allowed on it where Kafka can say so. */
    void prepare(KafkaConnection kafka, short replicationFactor, String engineName) {
        if (enabled) {
            TopicAdmin.ensureControlTopic(kafka, topic, replicationFactor);
            TopicAdmin.allowOnly(kafka, topic, group(engineName), principal);
        }
    }

    private static String group(String engineName) {
        return engineName + "-signals";
    }
}
