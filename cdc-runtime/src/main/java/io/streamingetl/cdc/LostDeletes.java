package io.streamingetl.cdc;

import io.streamingetl.contract.ChangeHeaders;
import io.streamingetl.runtime.KafkaConnection;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rows deleted while the source's history was lost. A new snapshot captures every row that exists, but nothing says a
 * row was deleted in between, and its last record would stay on the compacted topic, and in the index, for good. So
 * the topics' ends are noted as the new snapshot begins; once it has ended, every key whose latest record is older than
 * that, and no tombstone, is a row the source no longer has: it gets a tombstone, at the highest version the snapshot
 * wrote, so no reader that keeps versions takes it for older than the record it deletes. Only for topics whose deletes
 * are tombstones of the same key ({@link CaptureHistory#topicsDeletedByTombstone}).
 */
final class LostDeletes {
    private static final Logger LOG = LoggerFactory.getLogger(LostDeletes.class);
    private static final Duration READ_TIMEOUT = Duration.ofMinutes(5);

    private final String service;
    private final KafkaConnection kafka;
    private final Producer<byte[], byte[]> producer;
    private final LongSupplier streamedBatches;
    private Map<TopicPartition, Long> snapshotStart; // null unless a new snapshot is under way; under this object's lock

    /** @param streamedBatches the publisher's count of acknowledged batches holding a streamed change ({@link ChangePublisher#streamedBatches}) */
    LostDeletes(String service, KafkaConnection kafka, Producer<byte[], byte[]> producer, LongSupplier streamedBatches) {
        this.service = service;
        this.kafka = kafka;
        this.producer = producer;
        this.streamedBatches = streamedBatches;
    }

    /** Notes where {@code topics} end, before the new snapshot writes to them. */
    synchronized void snapshotBegins(List<String> topics) {
        if (topics.isEmpty()) {
            return;
        }
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            Map<TopicPartition, Long> ends = new HashMap<>();
            for (String topic : topics) {
                List<TopicPartition> partitions = consumer.partitionsFor(topic, READ_TIMEOUT).stream()
                        .map(p -> new TopicPartition(topic, p.partition())).toList();
                ends.putAll(consumer.endOffsets(partitions, READ_TIMEOUT));
            }
            snapshotStart = ends;
        }
    }

    /** The new snapshot has ended: tombstones for the keys it did not capture again, on a thread of its own. */
    synchronized void snapshotEnded() {
        Map<TopicPartition, Long> start = snapshotStart;
        snapshotStart = null;
        if (start == null) {
            return;
        }
        long streamedAtEnd = streamedBatches.getAsLong();
        Thread thread = new Thread(() -> {
            try {
                // Debezium says the snapshot ended once it has read every row, before the last rows are on their topic:
                // a streamed change (or heartbeat) acknowledged after them says they are.
                long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
                while (streamedBatches.getAsLong() <= streamedAtEnd) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("no change or heartbeat was published after the snapshot within " + READ_TIMEOUT);
                    }
                    Thread.sleep(200);
                }
                int deleted = deleteWhatTheSnapshotDidNotFind(start);
                LOG.info("{}: {} rows deleted while the source's history was lost: tombstones written", service, deleted);
            } catch (RuntimeException | InterruptedException | ExecutionException e) {
                LOG.error("{}: could not tell which rows were deleted while the source's history was lost ({}); compare the"
                        + " source with the topics by hand (docs/operations.md, History lost)", service, e.toString());
            }
        }, service + "-lost-deletes");
        thread.setDaemon(true);
        thread.start();
    }

    int deleteWhatTheSnapshotDidNotFind(Map<TopicPartition, Long> start) throws InterruptedException, ExecutionException {
        Map<TopicPartition, Map<ByteBuffer, Boolean>> liveBefore = new HashMap<>();
        Set<ByteBuffer> since = new HashSet<>();
        long version = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer()) {
            consumer.assign(start.keySet());
            consumer.seekToBeginning(start.keySet());
            Map<TopicPartition, Long> ends = consumer.endOffsets(start.keySet(), READ_TIMEOUT);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (start.keySet().stream().anyMatch(p -> consumer.position(p, READ_TIMEOUT) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the topics were not read to their end within " + READ_TIMEOUT);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (record.key() == null) {
                        continue;
                    }
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    ByteBuffer key = ByteBuffer.wrap(record.key());
                    if (record.offset() >= start.get(partition)) {
                        since.add(key);
                        version = Math.max(version, ChangeHeaders.version(record.headers()));
                    } else {
                        liveBefore.computeIfAbsent(partition, p -> new HashMap<>()).put(key, record.value() != null);
                    }
                }
            }
        }
        int deleted = 0;
        for (var partition : liveBefore.entrySet()) {
            for (var key : partition.getValue().entrySet()) {
                if (key.getValue() && !since.contains(key.getKey())) {
                    RecordHeaders headers = new RecordHeaders();
                    ChangeHeaders.setVersion(headers, version);
                    producer.send(new ProducerRecord<>(partition.getKey().topic(), partition.getKey().partition(), null,
                            key.getKey().array(), null, headers)).get();
                    deleted++;
                }
            }
        }
        return deleted;
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(kafka.with(Map.of(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.CLIENT_ID_CONFIG, service + "-lost-deletes")), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
