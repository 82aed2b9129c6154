package io.streamingetl.cdc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingetl.runtime.KafkaConnection;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The source position a capture's Debezium engine last stored in its offsets topic, read as Kafka Connect's offset
 * store reads it: each record keyed by {@code ["<engine name>", <source partition>]} in JSON, its value the offset in
 * JSON, the latest record of a key winning and a null value deleting it.
 */
final class StoredOffsets {
    private static final ObjectMapper JSON = new ObjectMapper();

    private StoredOffsets() {
    }

    /**
     * The engine's latest offset; empty when it stored none (a first start, or offsets deleted to take a new snapshot).
     * Throws {@link IllegalStateException} when the topic cannot be read within {@code timeout}.
     */
    @SuppressWarnings("unchecked")
    static Optional<Map<String, Object>> latest(KafkaConnection kafka, String topic, String engineName, Duration timeout) {
        try (Admin admin = Admin.create(kafka.with(Map.of()))) {
            if (!admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS).contains(topic)) {
                return Optional.empty();
            }
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list Kafka's topics to find the offsets topic " + topic + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading the offsets topic " + topic, e);
        }
        Map<String, Object> latest = null;
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.with(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false,
                ConsumerConfig.CLIENT_ID_CONFIG, engineName + "-stored-offsets")), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p, timeout) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the offsets topic " + topic + " was not read to its end within " + timeout);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() != null && isOf(engineName, record.key())) {
                        latest = record.value() == null ? null : JSON.readValue(record.value(), Map.class);
                    }
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("an offset in " + topic + " is not JSON: " + e.getMessage(), e);
        } catch (org.apache.kafka.common.KafkaException e) {
            throw new IllegalStateException("cannot read the offsets topic " + topic + ": " + e.getMessage(), e);
        }
        return Optional.ofNullable(latest);
    }

    private static boolean isOf(String engineName, byte[] key) throws IOException {
        Object parsed = JSON.readValue(key, Object.class);
        return parsed instanceof List<?> parts && !parts.isEmpty() && engineName.equals(parts.get(0));
    }
}
