package io.streamingetl.runtime;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The producer of the dead letters Kafka Streams' global thread cannot send itself (4.3 fails if asked to): made on
 * the first one, each sent and waited for, and closed with the service, so a restart in place leaves no producer
 * (and its network thread) behind. Kafka Streams never closes its exception handlers; the service closes this.
 */
public final class GlobalThreadDeadLetters implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GlobalThreadDeadLetters.class);

    private final Map<String, Object> config;
    private KafkaProducer<byte[], byte[]> producer;
    private boolean closed;

    /** With the connection properties of {@code kafka} and {@code clientId}, idempotent, every replica's ack. */
    public GlobalThreadDeadLetters(Map<String, Object> connection, String clientId) {
        this.config = new HashMap<>(connection);
        config.put(ProducerConfig.ACKS_CONFIG, "all");
        config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    }

    /**
     * Sends {@code deadLetter} and waits for Kafka's ack (the producer retries what can be retried up to its delivery
     * timeout); false when Kafka did not take it, or the service is closing.
     */
    public synchronized boolean send(ProducerRecord<byte[], byte[]> deadLetter) {
        if (closed) {
            return false;
        }
        try {
            if (producer == null) {
                producer = new KafkaProducer<>(config, new ByteArraySerializer(), new ByteArraySerializer());
            }
            producer.send(deadLetter).get();
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            LOG.error("Kafka did not take the dead letter for {}: {}; the service stops rather than lose the record",
                    deadLetter.topic(), e.getCause().toString());
            return false;
        }
    }

    /** Whether a producer is open now. */
    public synchronized boolean open() {
        return producer != null && !closed;
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (producer != null) {
            producer.close();
            producer = null;
        }
    }
}
