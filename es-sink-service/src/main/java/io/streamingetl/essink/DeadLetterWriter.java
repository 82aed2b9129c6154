package io.streamingetl.essink;

import io.streamingetl.runtime.DeadLetters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * Sends the sink's dead letters and waits for Kafka to take them before the batch they came from is committed;
 * one Kafka does not take stops the sink ({@link #awaitAll}), as a record must never be skipped without one.
 */
final class DeadLetterWriter {
    private final Producer<byte[], byte[]> producer;
    private final DeadLetters deadLetters;
    private final List<Future<RecordMetadata>> sent = new ArrayList<>();

    DeadLetterWriter(Producer<byte[], byte[]> producer, DeadLetters deadLetters) {
        this.producer = producer;
        this.deadLetters = deadLetters;
    }

    void send(String stage, ConsumerRecord<byte[], byte[]> record, Throwable reason) {
        sent.add(producer.send(deadLetters.record(stage, record, reason)));
    }

    /** Waits for every dead letter sent; throws when Kafka did not take one. */
    void awaitAll() {
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
