package io.streamingetl.cdc;

import io.streamingetl.runtime.KafkaSettings;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.TopicAdmin;
import java.time.Duration;
import java.util.Properties;

/**
 * The settings every Debezium engine here shares: where Kafka is, and where the engine keeps its source
 * offsets ({@code OFFSETS_TOPIC}, a compacted Kafka topic), so a restarted service resumes where it
 * stopped instead of taking a new snapshot, how long it gathers changes into a batch ({@code POLL_INTERVAL}),
 * and how the topics it writes are created when missing ({@link TopicAdmin.Layout}).
 */
public record CdcSettings(String engineName, String bootstrapServers, String offsetsTopic, int offsetsReplicationFactor,
                          Duration offsetFlushInterval, Duration pollInterval, TopicAdmin.Layout topicLayout) {

    public static CdcSettings from(Settings settings, String service) {
        return new CdcSettings(
                settings.string("ENGINE_NAME", service),
                KafkaSettings.bootstrapServers(settings),
                settings.string("OFFSETS_TOPIC", service + "-offsets"),
                settings.integer("OFFSETS_REPLICATION_FACTOR", 1, 1, 32),
                settings.duration("OFFSET_FLUSH_INTERVAL", Duration.ofSeconds(1)),
                settings.duration("POLL_INTERVAL", Duration.ofMillis(50)),
                TopicAdmin.Layout.from(settings));
    }

    /** The engine's own properties; the connector's are added by each service. */
    Properties engineProperties() {
        Properties p = new Properties();
        p.put("name", engineName);
        p.put("offset.storage", "org.apache.kafka.connect.storage.KafkaOffsetBackingStore");
        p.put("offset.storage.topic", offsetsTopic);
        p.put("offset.storage.partitions", "1");
        p.put("offset.storage.replication.factor", Integer.toString(offsetsReplicationFactor));
        p.put("offset.flush.interval.ms", Long.toString(offsetFlushInterval.toMillis()));
        p.put("bootstrap.servers", bootstrapServers);
        // Debezium hands over a batch when it is full or this long after the first poll (default 500 ms): at
        // hundreds of changes per second the batches never fill, so this wait is the capture latency.
        p.put("poll.interval.ms", Long.toString(pollInterval.toMillis()));
        // The engine reports a connector it cannot start (database down) and retries it.
        p.put("errors.max.retries", "-1");
        p.put("errors.retry.delay.initial.ms", "500");
        p.put("errors.retry.delay.max.ms", "10000");
        return p;
    }
}
