package io.streamingetl.cli;

import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.ShippedOrderDocument;
import io.streamingetl.contract.Topic;
import io.streamingetl.runtime.Backoff;
import io.streamingetl.search.BulkWriter;
import io.streamingetl.search.BulkWriter.Write;
import io.streamingetl.search.NewestWrites;
import io.streamingetl.search.SearchClient;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * A new index filled from the compacted {@code shipped_orders} topic with a consumer of its own (no group, so the
 * live sink's is untouched) and the sink's document code: each record's document (or delete) at its version, as
 * the sink writes it, so a record the sink writes too is harmless ({@code external_gte}). Reads up to given ends,
 * and on from there when asked again.
 */
final class IndexRebuild implements AutoCloseable {
    private static final int BATCH = 1000;
    private static final Backoff RETRY = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topic<String, ShippedOrder> topic;
    private final BulkWriter<ConsumerRecord<byte[], byte[]>> bulk;
    private final List<TopicPartition> partitions;
    private long written;

    IndexRebuild(CliSettings settings, SearchClient client, String index) {
        this.topic = settings.shippedOrders();
        this.consumer = Kafka.consumer(settings, null);
        this.bulk = new BulkWriter<>(client, index);
        this.partitions = Kafka.assignAll(consumer, topic.name());
        consumer.seekToBeginning(partitions);
    }

    /** Where the topic ends now; the records to read up to there. */
    Map<TopicPartition, Long> ends() {
        return consumer.endOffsets(partitions);
    }

    long remainingTo(Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().mapToLong(e -> Math.max(0, e.getValue() - consumer.position(e.getKey()))).sum();
    }

    long written() {
        return written;
    }

    /** Writes every record up to {@code ends} into the index, telling {@code progress} the offsets read so far. */
    void copyTo(Map<TopicPartition, Long> ends, LongConsumer progress) throws IOException {
        long read = 0;
        while (!Kafka.atEnd(consumer, ends)) {
            NewestWrites<ConsumerRecord<byte[], byte[]>> newest = new NewestWrites<>();
            int polled = 0;
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                polled++;
                try {
                    ShippedOrderDocument.Change change = ShippedOrderDocument.Change.of(topic, record);
                    newest.add(new Write<>(record, change.id(), change.version(), change.document()));
                } catch (RuntimeException e) {
                    // Undecodable: the live sink dead-lettered it when it met it; the rebuild skips it alike.
                }
                if (newest.size() >= BATCH) {
                    write(newest.cut());
                }
            }
            write(newest.cut());
            read += polled;
            progress.accept(read);
        }
    }

    private void write(List<Write<ConsumerRecord<byte[], byte[]>>> writes) throws IOException {
        List<Write<ConsumerRecord<byte[], byte[]>>> pending = writes;
        for (int attempt = 0; !pending.isEmpty(); attempt++) {
            BulkWriter.Outcome<ConsumerRecord<byte[], byte[]>> outcome = bulk.write(pending);
            written += outcome.written().size() + outcome.stale();
            if (!outcome.rejected().isEmpty()) {
                throw new IOException("the engine rejected " + outcome.rejected().size() + " documents of the new index, e.g. "
                        + outcome.rejected().get(0).reason() + ": does the mapping fit the documents?");
            }
            pending = outcome.toRetry();
            if (!pending.isEmpty()) {
                if (attempt >= 10) {
                    throw new IOException("the engine kept refusing writes: " + outcome.retryReason());
                }
                try {
                    Thread.sleep(RETRY.delay(attempt).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted", e);
                }
            }
        }
    }

    @Override
    public void close() {
        consumer.close();
    }
}
