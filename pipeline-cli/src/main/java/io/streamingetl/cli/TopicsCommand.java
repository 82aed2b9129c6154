package io.streamingetl.cli;

import io.streamingetl.runtime.TopicOffsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/**
 * {@code SHOW TOPICS} with what each holds and who lags on it. Records and lag are counted by reading (so a
 * transaction marker, which takes an offset, or a record compaction removed, is not counted) up to
 * {@link #COUNTED} records a topic; beyond that they are the offsets' difference, shown with {@code ~}.
 */
@Command(name = "topics", description = "Every pipeline and dead-letter topic: partitions, records, and each consumer group's lag on it (group=records behind).")
final class TopicsCommand implements Runnable {
    private static final long COUNTED = 100_000;

    @ParentCommand
    private PipelineCli cli;

    @Mixin
    private Output output;

    @Override
    public void run() {
        CliSettings settings = cli.settings();
        try (Admin admin = Kafka.admin(settings)) {
            Set<String> existing = Kafka.get(admin.listTopics().names(), settings);
            List<String> topics = settings.allTopicNames().stream().filter(existing::contains).toList();
            Map<String, TopicDescription> descriptions = Kafka.get(admin.describeTopics(topics).allTopicNames(), settings);
            List<TopicPartition> partitions = Kafka.get(TopicOffsets.partitionsOf(admin, topics), settings);
            Map<TopicPartition, Long> ends = Kafka.get(TopicOffsets.ends(admin, partitions), settings);
            Map<TopicPartition, Long> starts = Kafka.get(TopicOffsets.starts(admin, partitions), settings);
            Map<String, Map<String, String>> lagByTopic;
            Map<String, String> recordsByTopic = new HashMap<>();
            try (KafkaConsumer<byte[], byte[]> reader = Kafka.consumer(settings, null)) {
                for (String topic : topics) {
                    Map<TopicPartition, Long> from = new HashMap<>();
                    starts.forEach((p, start) -> {
                        if (p.topic().equals(topic)) {
                            from.put(p, start);
                        }
                    });
                    recordsByTopic.put(topic, count(reader, from, ends));
                }
                lagByTopic = lags(admin, settings, reader, ends);
            }

            List<Map<String, Object>> rows = new ArrayList<>();
            for (String topic : settings.allTopicNames()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("topic", topic);
                if (existing.contains(topic)) {
                    row.put("partitions", descriptions.get(topic).partitions().size());
                    row.put("records", recordsByTopic.get(topic));
                    row.put("lag", lagByTopic.getOrDefault(topic, Map.of()));
                } else {
                    row.put("lag", "(not created yet)");
                }
                rows.add(row);
            }
            if (output.json()) {
                cli.out().println(Output.write(rows));
            } else {
                rows.forEach(row -> row.computeIfPresent("lag", (k, lag) -> lag instanceof Map<?, ?> groups
                        ? groups.isEmpty() ? "-" : groups.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining(", ")) : lag));
                output.rows(cli.out(), List.of("topic", "partitions", "records", "lag"), rows);
            }
        }
    }

    /** Lag by topic and group: the committed records after the group's position, over the topic's partitions. */
    private static Map<String, Map<String, String>> lags(Admin admin, CliSettings settings,
                                                         KafkaConsumer<byte[], byte[]> reader,
                                                         Map<TopicPartition, Long> ends) {
        Map<String, Map<String, String>> lags = new TreeMap<>();
        for (ConsumerGroupListing group : Kafka.get(admin.listConsumerGroups().all(), settings)) {
            Map<String, Map<TopicPartition, Long>> positionsByTopic = new HashMap<>();
            Kafka.get(TopicOffsets.committed(admin, group.groupId()), settings).forEach((partition, offset) -> {
                if (ends.containsKey(partition)) {
                    positionsByTopic.computeIfAbsent(partition.topic(), t -> new HashMap<>()).put(partition, offset);
                }
            });
            positionsByTopic.forEach((topic, positions) -> lags.computeIfAbsent(topic, t -> new TreeMap<>())
                    .put(group.groupId(), count(reader, positions, ends)));
        }
        return lags;
    }

    /** The committed records from {@code from} to the ends, read; the offsets' difference beyond {@link #COUNTED}. */
    private static String count(KafkaConsumer<byte[], byte[]> reader, Map<TopicPartition, Long> from,
                                Map<TopicPartition, Long> ends) {
        long span = from.entrySet().stream().mapToLong(e -> Math.max(0, ends.get(e.getKey()) - e.getValue())).sum();
        if (span == 0) {
            return "0";
        }
        if (span > COUNTED) {
            return "~" + span;
        }
        reader.assign(from.keySet());
        from.forEach(reader::seek);
        long records = 0;
        while (from.keySet().stream().anyMatch(p -> reader.position(p) < ends.get(p))) {
            records += reader.poll(Duration.ofMillis(200)).count();
        }
        return Long.toString(records);
    }
}
