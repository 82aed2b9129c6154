package io.streamingetl.runtime;

import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/**
 * How the pipeline trades freshness against what its topics promise ({@code DELIVERY_PROFILE}), one setting for
 * every service. {@code exactly-once} (the default): the Streams services commit a transaction every 100 ms, so every
 * topic is exact for whoever reads it, and a record waits for its hop's commit before the next stage sees it.
 * {@code low-latency}: the Streams services run at least once and send each record within a few milliseconds; after
 * a failure a topic may carry a record twice, which the index absorbs (ids and versions), other readers must too.
 * The capture services and the sink deliver at least once in both: the profile changes nothing of theirs. Explicit
 * settings ({@code PROCESSING_GUARANTEE}, {@code KAFKA_STREAMS_*}) still win.
 */
public enum DeliveryProfile {
    EXACTLY_ONCE("exactly-once", StreamsConfig.EXACTLY_ONCE_V2, Map.of()),
    /** A commit a second bounds what a crash replays; 5 ms of linger, not Streams' 100, before a record is sent. */
    LOW_LATENCY("low-latency", StreamsConfig.AT_LEAST_ONCE, Map.of(
            StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 1000,
            StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5));

    public static final String SETTING = "DELIVERY_PROFILE";

    private final String settingValue;
    private final String processingGuarantee;
    private final Map<String, Object> streamsProperties;

    DeliveryProfile(String settingValue, String processingGuarantee, Map<String, Object> streamsProperties) {
        this.settingValue = settingValue;
        this.processingGuarantee = processingGuarantee;
        this.streamsProperties = streamsProperties;
    }

    /** {@code DELIVERY_PROFILE}, exactly-once by default; another value fails naming the setting. */
    public static DeliveryProfile from(Settings settings) {
        return named(SETTING, settings.string(SETTING, EXACTLY_ONCE.settingValue));
    }

    /** The profile called {@code value} in the setting {@code key}; another value fails naming the key. */
    public static DeliveryProfile named(String key, String value) {
        return Arrays.stream(values()).filter(p -> p.settingValue.equals(value)).findFirst()
                .orElseThrow(() -> new SettingsException(key, "is '" + value + "', must be one of "
                        + Arrays.stream(values()).map(p -> p.settingValue).collect(Collectors.joining(", "))));
    }

    /** Kafka Streams' {@code processing.guarantee} of this profile. */
    public String processingGuarantee() {
        return processingGuarantee;
    }

    /** The Kafka Streams properties this profile sets beside the guarantee, below any given explicitly. */
    public Map<String, Object> streamsProperties() {
        return streamsProperties;
    }

    @Override
    public String toString() {
        return settingValue;
    }
}
