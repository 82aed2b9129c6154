package io.streamingetl.cli;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupListing;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code SHOW TOPICS} with what each holds and who lags on it. */
@Command(name = "topics", description = "Every pipeline and dead-letter topic: partitions, records, and each consumer group's lag on it.")
final class TopicsCommand implements Runnable {
    @ParentCommand
    private PipelineCli cli;

    @Override
    public void run() {
        CliSettings settings = cli.settings();
        try (Admin admin = Kafka.admin(settings)) {
            Set<String> existing = Kafka.get(admin.listTopics().names(), settings);
            List<String> topics = settings.allTopicNames().stream().filter(existing::contains).toList();
            Map<String, TopicDescription> descriptions = Kafka.get(admin.describeTopics(topics).allTopicNames(), settings);
            Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
            descriptions.values().forEach(d -> d.partitions().forEach(p ->
                    partitions.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest())));
            Map<TopicPartition, ListOffsetsResultInfo> ends = Kafka.get(admin.listOffsets(partitions).all(), settings);
            partitions.replaceAll((p, spec) -> OffsetSpec.earliest());
            Map<TopicPartition, ListOffsetsResultInfo> starts = Kafka.get(admin.listOffsets(partitions).all(), settings);
            Map<String, Map<String, Long>> lagByTopic = lags(admin, settings, ends);

            cli.out().printf("%-45s %10s %10s  %s%n", "topic", "partitions", "records", "consumer group lag");
            for (String topic : settings.allTopicNames()) {
                if (!existing.contains(topic)) {
                    cli.out().printf("%-45s %10s %10s  %s%n", topic, "-", "-", "(not created yet)");
                    continue;
                }
                long records = ends.entrySet().stream().filter(e -> e.getKey().topic().equals(topic))
                        .mapToLong(e -> e.getValue().offset() - starts.get(e.getKey()).offset()).sum();
                String lag = lagByTopic.getOrDefault(topic, Map.of()).entrySet().stream()
                        .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
                cli.out().printf("%-45s %10d %10d  %s%n", topic, descriptions.get(topic).partitions().size(), records,
                        lag.isEmpty() ? "-" : lag);
            }
        }
    }

    /** Lag by topic and group: the end offset less the group's committed one, over the topic's partitions. */
    private static Map<String, Map<String, Long>> lags(Admin admin, CliSettings settings,
                                                       Map<TopicPartition, ListOffsetsResultInfo> ends) {
        Map<String, Map<String, Long>> lags = new TreeMap<>();
        Collection<ConsumerGroupListing> groups = Kafka.get(admin.listConsumerGroups().all(), settings);
        for (ConsumerGroupListing group : groups) {
            Map<TopicPartition, OffsetAndMetadata> committed =
                    Kafka.get(admin.listConsumerGroupOffsets(group.groupId()).partitionsToOffsetAndMetadata(), settings);
            committed.forEach((partition, offset) -> {
                ListOffsetsResultInfo end = ends.get(partition);
                if (end != null && offset != null) {
                    lags.computeIfAbsent(partition.topic(), t -> new TreeMap<>())
                            .merge(group.groupId(), Math.max(0, end.offset() - offset.offset()), Long::sum);
                }
            });
        }
        return lags;
    }
}
