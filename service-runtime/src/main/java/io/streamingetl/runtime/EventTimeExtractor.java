package io.streamingetl.runtime;

import io.streamingetl.contract.EventTime;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.streams.processor.TimestampExtractor;

/**
 * Event time for Kafka Streams: the value's {@code ts} when it has one that parses, else the record's own
 * timestamp (logistics-cdc writes {@code ts} there), else the partition's time so far. It never fails: a
 * record whose {@code ts} does not parse is dead-lettered by the topology, not dropped here.
 */
public final class EventTimeExtractor implements TimestampExtractor {
    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        if (record.value() instanceof SpecificRecord value) {
            Schema.Field ts = value.getSchema().getField("ts");
            if (ts != null && value.get(ts.pos()) instanceof CharSequence text) {
                try {
                    return EventTime.toEpochMillis(text.toString());
                } catch (EventTime.InvalidEventTimeException e) {
                    // falls through: the topology dead-letters it with the reason
                }
            }
        }
        if (record.timestamp() >= 0) {
            return record.timestamp();
        }
        return Math.max(partitionTime, 0L);
    }
}
