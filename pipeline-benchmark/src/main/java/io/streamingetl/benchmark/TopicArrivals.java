package io.streamingetl.benchmark;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * When each key first became readable (read_committed, as the next stage reads it) on each of some topics,
 * from now on: the benchmark's split of the commit-to-visible latency into the hops between services.
 */
final class TopicArrivals implements AutoCloseable {
    private final Map<String, Map<String, Long>> firstSeenNanos = new ConcurrentHashMap<>();
    private final Thread poller;
    private volatile boolean running = true;

    TopicArrivals(String bootstrapServers, List<String> topics) {
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        List<TopicPartition> partitions = topics.stream()
                .flatMap(t -> consumer.partitionsFor(t).stream().map(p -> new TopicPartition(t, p.partition())))
                .toList();
        consumer.assign(partitions);
        consumer.seekToEnd(partitions);
        partitions.forEach(consumer::position);
        topics.forEach(t -> firstSeenNanos.put(t, new ConcurrentHashMap<>()));
        poller = new Thread(() -> {
            try (consumer) {
                while (running) {
                    for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(50))) {
                        long now = System.nanoTime();
                        firstSeenNanos.get(r.topic()).putIfAbsent(new String(r.key(), StandardCharsets.UTF_8), now);
                    }
                }
            }
        }, "topic-arrivals");
        poller.start();
    }

    /** Nanos when {@code key} was first seen on {@code topic}, or null. */
    Long firstSeen(String topic, String key) {
        return firstSeenNanos.get(topic).get(key);
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        poller.join();
    }
}
