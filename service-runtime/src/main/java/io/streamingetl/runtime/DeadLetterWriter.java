package io.streamingetl.runtime;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends dead letters of records read from Kafka and waits for Kafka to take them before what they came from is
 * committed (the sink's batch, a rebuild's progress); one Kafka does not take is thrown ({@link #awaitAll}), as a
 * record must never be skipped without one. {@link #sent()} counts them.
 */
public final class DeadLetterWriter {
    private final Producer<byte[], byte[]> producer;
    private final DeadLetters deadLetters;
    private final List<Future<RecordMetadata>> sent = new ArrayList<>();
    private long count;

    public DeadLetterWriter(Producer<byte[], byte[]> producer, DeadLetters deadLetters) {
        this.producer = producer;
        this.deadLetters = deadLetters;
    }

    public void send(String stage, ConsumerRecord<byte[], byte[]> record, Throwable reason) {
        sent.add(producer.send(deadLetters.record(stage, record, reason)));
        count++;
    }

    /** How many dead letters were sent. */
    public long sent() {
        return count;
    }

    /** Waits for every dead letter sent; throws when Kafka did not take one. */
    public void awaitAll() {
        try {
            for (Future<RecordMetadata> send : sent) {
                send.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while writing a dead letter", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Kafka did not take a dead letter: " + e.getCause(), e.getCause());
        } finally {
            sent.clear();
        }
    }
}
