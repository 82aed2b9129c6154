package io.streamingetl.cdc;

import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * What a CDC service makes of one captured change: the Kafka records to produce (none for a change it
 * deliberately drops, such as a heartbeat). Throwing means the change cannot be mapped: it becomes a dead
 * letter on {@link #deadLetterTopicFor(SourceRecord)}'s {@code .dlq}.
 */
public interface ChangeRouter {
    List<ProducerRecord<byte[], byte[]>> route(SourceRecord change) throws Exception;

    /** The topic whose {@code .dlq} receives this change when it cannot be mapped. */
    String deadLetterTopicFor(SourceRecord change);

    /** Changes of the kinds it maps, as Debezium hands them over, for the warm-up; the {@code i}th of a series. */
    default List<SourceRecord> warmUpChanges(int i) {
        return List.of();
    }
}
