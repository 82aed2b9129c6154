package io.streamingetl.essink;

import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.ChangeHeaders;
import io.streamingetl.contract.Topic;
import io.streamingetl.runtime.Warmup;
import io.streamingetl.search.BulkWriter;
import io.streamingetl.search.BulkWriter.Write;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * The sink's warm-up round: a shipped order as the join writes it, decoded into its write, and every batch of them
 * made into the bulk request's body, as the live sink does; nothing is sent to the engine or Kafka.
 */
final class SinkWarmup implements Warmup.Round {
    private final Topic<String, ShippedOrder> topic;
    private final ShippedOrderWrites writes;
    private final BulkWriter<ConsumerRecord<byte[], byte[]>> bulk;
    private final int batchSize;
    private final List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();

    SinkWarmup(Topic<String, ShippedOrder> topic, ShippedOrderWrites writes, BulkWriter<ConsumerRecord<byte[], byte[]>> bulk,
               int batchSize) {
        this.topic = topic;
        this.writes = writes;
        this.bulk = bulk;
        this.batchSize = batchSize;
    }

    @Override
    public void run(int i) throws Exception {
        String order = "warm-up-" + i;
        RecordHeaders headers = new RecordHeaders();
        ChangeHeaders.stamp(headers, System.currentTimeMillis(), "warm-up", i + 1L);
        batch.add(new ConsumerRecord<>(topic.name(), 0, i, 0L, TimestampType.CREATE_TIME, -1, -1, topic.serializeKey(order),
                topic.serializeValue(new ShippedOrder(order, "s" + order, "warm-up", "warm", 30, "warm", 1.0, "usd")),
                headers, Optional.empty()));
        if (batch.size() == batchSize) {
            List<Write<ConsumerRecord<byte[], byte[]>>> batchWrites = writes.of(batch, (reason, failures) -> false);
            bulk.body(batchWrites);
            batch.clear();
        }
    }
}
