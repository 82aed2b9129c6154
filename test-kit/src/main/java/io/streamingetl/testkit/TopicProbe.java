package io.streamingetl.testkit;

import io.streamingetl.runtime.TopicOffsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Reads a topic from its beginning as a test or the demo sees it (committed records only), waiting for
 * records to arrive: the way to assert on what a service wrote.
 */
public final class TopicProbe implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final String topic;

    public TopicProbe(String bootstrapServers, String topic) {
        this.topic = topic;
        this.consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "probe-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
    }

    /** The next {@code count} records; fails naming the topic when they do not all arrive in time. */
    public List<ConsumerRecord<byte[], byte[]>> await(int count, Duration timeout) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (records.size() < count && System.nanoTime() < deadline) {
            consumer.poll(Duration.ofMillis(200)).forEach(records::add);
        }
        if (records.size() < count) {
            throw new AssertionError("Expected " + count + " records on " + topic + " within " + timeout
                    + " but got " + records.size());
        }
        return records;
    }

    /** The first record from here on that {@code matches}; fails naming the topic when none arrives in time. */
    public ConsumerRecord<byte[], byte[]> awaitFirst(Predicate<ConsumerRecord<byte[], byte[]>> matches, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (matches.test(record)) {
                    return record;
                }
            }
        }
        throw new AssertionError("Expected a matching record on " + topic + " within " + timeout);
    }

    /** Whatever arrives until nothing new came for {@code quiet}. */
    public List<ConsumerRecord<byte[], byte[]>> drain(Duration quiet) {
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        while (true) {
            int before = records.size();
            consumer.poll(quiet).forEach(records::add);
            if (records.size() == before) {
                return records;
            }
        }
    }

    /** Every committed record of {@code topic}, from its beginning to the end it had when asked. */
    public static List<ConsumerRecord<byte[], byte[]>> readToEnd(String bootstrapServers, String topic, Duration timeout) {
        try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = reader.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = reader.endOffsets(partitions);
            List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
            long deadline = System.nanoTime() + timeout.toNanos();
            while (partitions.stream().anyMatch(tp -> reader.position(tp) < end.get(tp)) && System.nanoTime() < deadline) {
                reader.poll(Duration.ofMillis(200)).forEach(records::add);
            }
            return records;
        }
    }

    /**
     * The group's committed offset of every partition of {@code topic} that holds anything is its end as a
     * read_committed reader sees it: no lag, a transaction's closing marker included.
     */
    public static boolean committedToEnd(String bootstrapServers, String groupId, String topic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Map<TopicPartition, Long> committed = TopicOffsets.committed(admin, groupId).get();
            return TopicOffsets.ends(admin, TopicOffsets.partitionsOf(admin, List.of(topic)).get()).get().entrySet().stream()
                    .allMatch(e -> e.getValue() == 0 || e.getValue().equals(committed.get(e.getKey())));
        }
    }

    @Override
    public void close() {
        consumer.close(Duration.ofSeconds(5));
    }
}
