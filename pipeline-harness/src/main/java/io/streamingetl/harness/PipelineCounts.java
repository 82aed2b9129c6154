package io.streamingetl.harness;

import io.streamingetl.runtime.KafkaConnection;
import java.time.Duration;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * How many records each pipeline topic (and its dead letters) holds, as a reader of committed data sees
 * them: the demo's progress, and what it waits on between steps.
 */
public final class PipelineCounts implements AutoCloseable {
    private final Map<String, Long> counts = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    public PipelineCounts(KafkaConnection kafka, Collection<String> topics) {
        topics.forEach(t -> counts.put(t, 0L));
        KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.with(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, "pipeline-demo-progress-" + System.nanoTime(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.METADATA_MAX_AGE_CONFIG, 2000)),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        String pattern = String.join("|", topics.stream().map(Pattern::quote).toList());
        thread = new Thread(() -> {
            try (consumer) {
                consumer.subscribe(Pattern.compile(pattern + "|(" + pattern + ")\\.dlq"));
                while (running.get()) {
                    consumer.poll(Duration.ofMillis(200)).forEach(r -> counts.merge(r.topic(), 1L, Long::sum));
                }
            }
        }, "progress");
        thread.setDaemon(true);
        thread.start();
    }

    public long of(String topic) {
        return counts.getOrDefault(topic, 0L);
    }

    /** The dead-letter topics that hold any record, with their counts. */
    public Map<String, Long> deadLettersByTopic() {
        Map<String, Long> deadLetters = new TreeMap<>();
        counts.forEach((topic, n) -> {
            if (topic.endsWith(".dlq") && n > 0) {
                deadLetters.put(topic, n);
            }
        });
        return deadLetters;
    }

    /** Waits until {@code topic} holds at least {@code count} records. */
    public boolean await(String topic, long count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (of(topic) < count && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        return of(topic) >= count;
    }

    public Map<String, Long> snapshot(Collection<String> topics) {
        Map<String, Long> snapshot = new LinkedHashMap<>();
        topics.forEach(t -> snapshot.put(t, of(t)));
        return snapshot;
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(5000);
    }
}
