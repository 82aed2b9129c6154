package io.streamingetl.cdc;

import io.streamingetl.runtime.SafeText;
import io.streamingetl.runtime.KafkaConnection;
import io.streamingetl.runtime.ServiceRuntime;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.SettingsException;
import io.streamingetl.runtime.TopicAdmin;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.producer.ProducerConfig;

/**
 * The settings every Debezium engine here shares: how Kafka is reached ({@link KafkaConnection}, also by the
 * engine's offset store), where the engine keeps its source offsets ({@code OFFSETS_TOPIC}, a compacted Kafka
 * topic), so a restarted service resumes where it stopped instead of taking a new snapshot, how long it gathers
 * changes into a batch ({@code POLL_INTERVAL}), how the topics it writes are created when missing
 * ({@link TopicAdmin.Layout}), the largest change it sends on ({@code MAX_CHANGE_BYTES}, 1,000,000: below the
 * producer's {@code max.request.size}), Debezium's Kafka signal channel ({@link KafkaSignals}: off unless
 * {@code SIGNAL_KAFKA_ENABLED}), any Debezium property passed through as {@code DEBEZIUM_<PROPERTY>}, and how long a
 * re-snapshot's request may wait for Debezium to act on it before it is failed ({@code SNAPSHOT_REQUEST_TIMEOUT}, 2m).
 */
public record CdcSettings(String engineName, KafkaConnection kafka, String offsetsTopic, int offsetsReplicationFactor,
                          Duration offsetFlushInterval, Duration pollInterval, TopicAdmin.Layout topicLayout,
                          int maxChangeBytes, KafkaSignals kafkaSignals, Map<String, Object> debeziumPassThrough,
                          Duration snapshotRequestTimeout) {
    public static final String SNAPSHOT_REQUEST_TIMEOUT = "SNAPSHOT_REQUEST_TIMEOUT";
    /** The largest change sent on as a record; a larger one is a dead letter. */
    public static final String MAX_CHANGE_BYTES = "MAX_CHANGE_BYTES";

    public static CdcSettings from(Settings settings, String service) {
        KafkaConnection kafka = KafkaConnection.from(settings);
        int maxRequest = Integer.parseInt(String.valueOf(kafka.properties().getOrDefault(
                ProducerConfig.MAX_REQUEST_SIZE_CONFIG, ProducerConfig.configDef().defaultValues()
                        .get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG))));
        // Below the producer's own limit, with room for the record's framing: a change at the limit still goes.
        int maxChange = settings.integer(MAX_CHANGE_BYTES, 1_000_000, 1024, Integer.MAX_VALUE);
        if (maxChange > maxRequest - 1024) {
            throw new SettingsException(MAX_CHANGE_BYTES, "is " + maxChange + ", must be at least 1024 below the producer's "
                    + "max.request.size " + maxRequest + " (KAFKA_CLIENT_MAX_REQUEST_SIZE)");
        }
        return new CdcSettings(
                settings.string("ENGINE_NAME", service),
                kafka,
                settings.string("OFFSETS_TOPIC", service + "-offsets"),
                settings.integer("OFFSETS_REPLICATION_FACTOR", TopicAdmin.replicationFactor(settings), -1, 32),
                settings.duration("OFFSET_FLUSH_INTERVAL", Duration.ofSeconds(1)),
                settings.duration("POLL_INTERVAL", Duration.ofMillis(5)),
                TopicAdmin.Layout.from(settings),
                maxChange,
                KafkaSignals.from(settings, service, kafka),
                ServiceRuntime.passThrough(settings, "DEBEZIUM_"),
                snapshotRequestTimeout(settings));
    }

    private static Duration snapshotRequestTimeout(Settings settings) {
        Duration timeout = settings.duration(SNAPSHOT_REQUEST_TIMEOUT, Duration.ofMinutes(2));
        if (timeout.toMillis() < 100 || timeout.toHours() > 24) {
            throw new SettingsException(SNAPSHOT_REQUEST_TIMEOUT, "is " + timeout + ", must be between 100ms and 24h");
        }
        return timeout;
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
        // The offset store's producer, consumer and admin take the connection from the engine's own properties.
        p.putAll(kafka.properties());
        // Debezium hands over a batch when it is full or this long after the poll began (default 500 ms), and its
        // Postgres reader sleeps this long when the WAL had nothing: at low load the batches never fill, so this
        // wait was most of the capture latency; at 5 ms an idle capture wakes 200 times a second, cheaply.
        p.put("poll.interval.ms", Long.toString(pollInterval.toMillis()));
        // The engine reports a connector it cannot start (database down) and retries it.
        p.put("errors.max.retries", "-1");
        p.put("errors.retry.delay.initial.ms", "500");
        p.put("errors.retry.delay.max.ms", "10000");
        // Signals (ad-hoc incremental snapshots) from the operator through POST /snapshot, and from Kafka only when
        // SIGNAL_KAFKA_ENABLED. The source channel (the signal table or collection) carries an incremental snapshot's
        // watermarks, so Debezium needs it on; only the capture's login may write there.
        p.put("signal.enabled.channels", "source," + OperatorSignals.NAME + (kafkaSignals.enabled() ? ",kafka" : ""));
        // A signal is taken within half a second (Debezium checks every 5 s by default; a Kafka consumer's group join
        // at that pace took half a minute).
        p.put("signal.poll.interval.ms", "500");
        kafkaSignals.addTo(p, kafka, engineName);
        p.put("notification.enabled.channels", SnapshotNotifications.NAME);
        return p;
    }

    /** Debezium's passed-through secrets ({@code DEBEZIUM_MONGODB_SSL_TRUSTSTORE_PASSWORD}) stay out of logs. */
    @Override
    public String toString() {
        return "CdcSettings[engine=" + engineName + ", kafka=" + kafka + ", offsets=" + offsetsTopic + " (replication "
                + offsetsReplicationFactor + ", flushed every " + offsetFlushInterval + "), poll=" + pollInterval + ", topics="
                + topicLayout + ", maxChangeBytes=" + maxChangeBytes + ", kafkaSignals=" + kafkaSignals + ", debezium="
                + SafeText.masked(debeziumPassThrough) + "]";
    }
}
