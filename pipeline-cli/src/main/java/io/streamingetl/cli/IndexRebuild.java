package io.streamingetl.cli;

import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.ShippedOrderDocument;
import io.streamingetl.contract.Topic;
import io.streamingetl.runtime.Backoff;
import io.streamingetl.runtime.DeadLetterWriter;
import io.streamingetl.search.BulkWriter;
import io.streamingetl.search.BulkWriter.Rejection;
import io.streamingetl.search.BulkWriter.Write;
import io.streamingetl.search.DocumentRejectedException;
import io.streamingetl.search.NewestWrites;
import io.streamingetl.search.SearchClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
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
 * and on from there when asked again. A document the engine rejects for itself is kept aside, counted (more than
 * {@code maxRejected} ends the rebuild) and dead-lettered as the live sink does ({@link #deadLetterRejected}) once
 * the rebuild is to be swapped in; {@link #liveKeys()} says how many documents the index must then hold.
 */
final class IndexRebuild implements AutoCloseable {
    private static final int BATCH = 1000;
    private static final Backoff RETRY = new Backoff(Duration.ofMillis(200), Duration.ofSeconds(10));

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Topic<String, ShippedOrder> topic;
    private final BulkWriter<ConsumerRecord<byte[], byte[]>> bulk;
    private final List<TopicPartition> partitions;
    private final String engine;
    private final int maxRejected;
    private final LiveKeys liveKeys = new LiveKeys();
    private final List<Rejection<ConsumerRecord<byte[], byte[]>>> rejected = new ArrayList<>();
    private long written;

    IndexRebuild(CliSettings settings, SearchClient client, String index, String engine, int maxRejected) {
        this.topic = settings.shippedOrders();
        this.engine = engine;
        this.maxRejected = maxRejected;
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

    /** The documents of the topic read so far, as the engine keeps them: what the index must hold. */
    LiveKeys liveKeys() {
        return liveKeys;
    }

    /** The documents the engine rejected so far. */
    List<Rejection<ConsumerRecord<byte[], byte[]>>> rejected() {
        return List.copyOf(rejected);
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
                    liveKeys.write(change.id(), change.version(), change.document() == null);
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
            for (Rejection<ConsumerRecord<byte[], byte[]>> rejection : outcome.rejected()) {
                rejected.add(rejection);
                liveKeys.rejected(rejection.write().id(), rejection.write().version());
            }
            if (rejected.size() > maxRejected) {
                throw new IOException("the engine rejected more than " + maxRejected + " documents of the new index"
                        + " (--max-rejected), e.g. " + rejected.get(0).write().id() + ": " + rejected.get(0).reason()
                        + ": does the mapping fit the documents?");
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

    /**
     * Dead-letters every rejected document as the live sink does (stage {@value DocumentRejectedException#STAGE}, the
     * engine's reason, the record's own headers) and waits for Kafka to take them all.
     */
    void deadLetterRejected(DeadLetterWriter deadLetters) {
        rejected.forEach(r -> DocumentRejectedException.deadLetter(deadLetters, r, engine));
        deadLetters.awaitAll();
    }

    @Override
    public void close() {
        consumer.close();
    }
}
