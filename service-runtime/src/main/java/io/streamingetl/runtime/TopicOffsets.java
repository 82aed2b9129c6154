package io.streamingetl.runtime;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;

/**
 * Where topics and groups stand, asked of the brokers: the one place offsets are read for the CLI, the harness and
 * the tests. Ends are as a read_committed reader sees them (a transaction's commit marker included, an open
 * transaction's records not yet). Each answer is Kafka's future, for the caller to wait on as it waits on Kafka.
 */
public final class TopicOffsets {
    private TopicOffsets() {
    }

    /** Every partition of {@code topics}. */
    public static KafkaFuture<List<TopicPartition>> partitionsOf(Admin admin, Collection<String> topics) {
        return admin.describeTopics(topics).allTopicNames().thenApply(descriptions -> descriptions.values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition()))).toList());
    }

    /** The end of each partition: the offset the next committed record will have. */
    public static KafkaFuture<Map<TopicPartition, Long>> ends(Admin admin, Collection<TopicPartition> partitions) {
        return offsets(admin, partitions, OffsetSpec.latest());
    }

    /** The first offset each partition still holds (retention or compaction may have removed what was before). */
    public static KafkaFuture<Map<TopicPartition, Long>> starts(Admin admin, Collection<TopicPartition> partitions) {
        return offsets(admin, partitions, OffsetSpec.earliest());
    }

    /** The first offset of each partition whose record's timestamp is {@code epochMillis} or later (its end when none). */
    public static KafkaFuture<Map<TopicPartition, Long>> at(Admin admin, Collection<TopicPartition> partitions,
                                                           long epochMillis) {
        return offsets(admin, partitions, OffsetSpec.forTimestamp(epochMillis));
    }

    /** What {@code group} committed, by partition (partitions it never committed are absent). */
    public static KafkaFuture<Map<TopicPartition, Long>> committed(Admin admin, String group) {
        return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().thenApply(committed -> {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            committed.forEach((partition, offset) -> {
                if (offset != null) {
                    offsets.put(partition, offset.offset());
                }
            });
            return offsets;
        });
    }

    private static KafkaFuture<Map<TopicPartition, Long>> offsets(Admin admin, Collection<TopicPartition> partitions,
                                                                 OffsetSpec spec) {
        Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        partitions.forEach(p -> request.put(p, spec));
        return admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all().thenApply(infos -> {
            Map<TopicPartition, Long> offsets = new HashMap<>();
            infos.forEach((p, info) -> offsets.put(p, info.offset()));
            return offsets;
        });
    }
}
