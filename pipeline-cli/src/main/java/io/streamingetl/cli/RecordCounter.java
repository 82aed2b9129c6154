package io.streamingetl.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

/**
 * The committed records of topics, counted by reading them (a transaction marker takes an offset but is no record,
 * so offsets overcount what exactly-once services wrote), each call reading on from where the last one stopped:
 * the live page counts every topic every few seconds at the cost of what is new.
 */
final class RecordCounter implements AutoCloseable {
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final Map<TopicPartition, Long> counted = new HashMap<>();

    RecordCounter(CliSettings settings) {
        this.consumer = Kafka.consumer(settings, null);
    }

    /** Records per topic of {@code topics} (those that exist), read up to their ends now. */
    Map<String, Long> count(List<String> topics) {
        Set<TopicPartition> partitions = new HashSet<>();
        for (String topic : topics) {
            List<PartitionInfo> infos = consumer.partitionsFor(topic);
            if (infos != null) {
                infos.forEach(info -> partitions.add(new TopicPartition(topic, info.partition())));
            }
        }
        List<TopicPartition> added = partitions.stream().filter(p -> !counted.containsKey(p)).toList();
        if (!added.isEmpty() || !consumer.assignment().equals(partitions)) {
            consumer.assign(partitions);
            consumer.seekToBeginning(added);
            added.forEach(p -> counted.put(p, 0L));
        }
        Map<TopicPartition, Long> ends = consumer.endOffsets(new ArrayList<>(partitions));
        while (!Kafka.atEnd(consumer, ends)) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                counted.merge(new TopicPartition(record.topic(), record.partition()), 1L, Long::sum);
            }
        }
        Map<String, Long> byTopic = new LinkedHashMap<>();
        topics.forEach(topic -> partitions.stream().filter(p -> p.topic().equals(topic))
                .forEach(p -> byTopic.merge(topic, counted.get(p), Long::sum)));
        return byTopic;
    }

    @Override
    public void close() {
        consumer.close();
    }
}
