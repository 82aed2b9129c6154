package io.streamingetl.customers;

import io.streamingetl.avro.Customer;
import io.streamingetl.cdc.ChangeRouter;
import io.streamingetl.contract.Topic;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * A customers change as the contract's record: keyed by customer id, valued as {@code Customer}; a deleted
 * row is a tombstone, so compaction and the customer table forget it. Heartbeats are not customers, and
 * neither are the changes of another table Debezium was told to read (a signal table).
 */
public final class CustomerChangeRouter implements ChangeRouter {
    private final Topic<String, Customer> topic;
    private final String capturedTableTopic;

    /** @param capturedTableTopic Debezium's topic of the captured table's changes ({@code <prefix>.<schema>.<table>}) */
    public CustomerChangeRouter(Topic<String, Customer> topic, String capturedTableTopic) {
        this.topic = topic;
        this.capturedTableTopic = capturedTableTopic;
    }

    @Override
    public List<ProducerRecord<byte[], byte[]>> route(SourceRecord change) {
        if (!change.topic().equals(capturedTableTopic)) {
            return List.of();
        }
        byte[] key = topic.serializeKey(CustomerRowMapper.idOf(change.key()));
        if (change.value() == null) {
            return List.of(new ProducerRecord<>(topic.name(), key, null));
        }
        if (!(change.value() instanceof Struct row)) {
            throw new DataException("a customers change must carry a row, was " + change.value().getClass().getSimpleName());
        }
        return List.of(new ProducerRecord<>(topic.name(), key, topic.serializeValue(CustomerRowMapper.toCustomer(row))));
    }

    @Override
    public String deadLetterTopicFor(SourceRecord change) {
        return topic.name();
    }

    private static final Schema WARM_UP_KEY = SchemaBuilder.struct().field("id", Schema.STRING_SCHEMA).build();
    private static final Schema WARM_UP_ROW = SchemaBuilder.struct().field("id", Schema.STRING_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA).field("age", Schema.OPTIONAL_INT32_SCHEMA).build();

    /** A row as Debezium's unwrapped change of the captured table carries it, with no source offset. */
    @Override
    public List<SourceRecord> warmUpChanges(int i) {
        String id = "warm-up-" + i % 1000;
        return List.of(new SourceRecord(null, null, capturedTableTopic, WARM_UP_KEY, new Struct(WARM_UP_KEY).put("id", id),
                WARM_UP_ROW, new Struct(WARM_UP_ROW).put("id", id).put("name", "warm").put("age", 30)));
    }
}
