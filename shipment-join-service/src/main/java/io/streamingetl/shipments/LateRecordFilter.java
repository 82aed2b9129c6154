package io.streamingetl.shipments;

import io.streamingetl.runtime.SafeText;
import java.time.Duration;
import org.apache.kafka.common.metrics.Sensor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops a record that arrives after its join window closed: its event time plus the window plus the
 * grace period is behind the task's stream time. Kafka Streams alone would still join such a record with
 * whatever the other side's store retains; here it is counted (the Streams metric {@code late-records-total}
 * of group {@code stream-shipment-join-metrics}, tagged with the side; on /metrics once Micrometer's
 * binder has picked the new sensor up, within 5 s) and logged with where to find it, never joined.
 */
final class LateRecordFilter<V> implements FixedKeyProcessor<String, V, V> {
    private static final Logger LOG = LoggerFactory.getLogger(LateRecordFilter.class);
    static final String METRIC_SCOPE = "shipment-join";
    static final String METRIC_OPERATION = "late-records";

    private final String side;
    private final long allowedLatenessMs;
    private FixedKeyProcessorContext<String, V> context;
    private Sensor lateRecords;

    LateRecordFilter(String side, Duration window, Duration grace) {
        this.side = side;
        this.allowedLatenessMs = window.plus(grace).toMillis();
    }

    @Override
    public void init(FixedKeyProcessorContext<String, V> context) {
        this.context = context;
        this.lateRecords = context.metrics().addRateTotalSensor(METRIC_SCOPE, side, METRIC_OPERATION,
                Sensor.RecordingLevel.INFO);
    }

    @Override
    public void process(FixedKeyRecord<String, V> record) {
        long streamTime = context.currentStreamTimeMs();
        if (record.timestamp() + allowedLatenessMs < streamTime) {
            lateRecords.record();
            String where = context.recordMetadata()
                    .map(m -> m.topic() + "-" + m.partition() + "@" + m.offset())
                    .orElse("unknown offset");
            LOG.warn("Late {} not joined: key={} event time {} ms is more than window+grace ({} ms) behind stream time {} ms ({})",
                    side, SafeText.of(record.key()), record.timestamp(), allowedLatenessMs, streamTime, where);
            return;
        }
        context.forward(record);
    }
}
