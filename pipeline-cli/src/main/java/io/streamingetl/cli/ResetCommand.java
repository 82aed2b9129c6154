package io.streamingetl.cli;

import io.streamingetl.cli.PipelineCli.CliException;
import io.streamingetl.contract.PipelineService;
import io.streamingetl.contract.Topic;
import io.streamingetl.contract.Topics;
import io.streamingetl.runtime.TopicOffsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * What Kafka's streams application reset tool does, for one of the pipeline's Streams services: refuses while an
 * instance of its group is alive; moves its input offsets to the earliest or to a time; deletes its internal topics
 * (changelogs, repartition topics) and their offsets. The service wipes its local state at its next start when its
 * changelogs are gone ({@code StreamsService}), and reprocesses from there.
 */
@Command(name = "reset", description = "Reprocess a Streams service from the start of its inputs or from a time, as Kafka's"
        + " kafka-streams-application-reset does: input offsets moved, internal topics deleted (its local state is wiped at"
        + " its next start). Refused while an instance of the service is running: stop them all first.")
final class ResetCommand implements Callable<Integer> {
    private static final Map<PipelineService, List<Topic<String, ?>>> INPUTS = Map.of(
            PipelineService.ENRICHMENT, List.of(Topics.ORDERS),
            PipelineService.SHIPMENT_JOIN, List.of(Topics.ENRICHED_ORDERS, Topics.SHIPMENTS));

    @ParentCommand
    private PipelineCli cli;

    @Parameters(paramLabel = "<enrichment-service|shipment-join-service>", description = "the Streams service to reset")
    private String service;

    @ArgGroup(multiplicity = "1")
    private Point point;

    static final class Point {
        @Option(names = "--to-earliest", required = true, description = "reprocess everything its input topics hold")
        boolean earliest;

        @Option(names = "--to-datetime", required = true, paramLabel = "<ts>", description = "reprocess from the first input "
                + "record at or after this time (ISO-8601, e.g. 2026-12-04T10:00:00Z); by record timestamp, the event time here")
        String datetime;
    }

    @Option(names = "--dry-run", description = "say what would be done, do nothing")
    private boolean dryRun;

    @Override
    public Integer call() {
        PipelineService target = ControlCommand.service(service);
        if (!INPUTS.containsKey(target)) {
            throw new CliException(service + " is not a Streams service; reset enrichment-service or shipment-join-service");
        }
        CliSettings settings = cli.settings();
        String group = settings.applicationIds().get(target);
        try (Admin admin = Kafka.admin(settings)) {
            ConsumerGroupDescription description = Kafka.get(admin.describeConsumerGroups(List.of(group)).all(), settings).get(group);
            if (!description.members().isEmpty()) {
                throw new CliException("refused: " + description.members().size() + " instance(s) of " + service + " (group " + group
                        + ") are running (" + description.members().stream().map(m -> m.host()).collect(Collectors.joining(", "))
                        + "); stop every instance first (docker compose stop " + service + ", kubectl scale --replicas=0), then reset");
            }
            List<String> inputs = INPUTS.get(target).stream().map(settings::topicName).toList();
            List<TopicPartition> partitions = Kafka.get(TopicOffsets.partitionsOf(admin, inputs), settings);
            Map<TopicPartition, Long> offsets = offsets(admin, settings, partitions);
            Set<String> existing = Kafka.get(admin.listTopics().names(), settings);
            List<String> internal = existing.stream().filter(t -> t.startsWith(group + "-")
                    && (t.endsWith("-changelog") || t.endsWith("-repartition"))).sorted().toList();
            cli.out().println((dryRun ? "would move " : "moving ") + group + "'s offsets of " + inputs + " to "
                    + (point.earliest ? "the earliest" : point.datetime) + ": " + new TreeMap<>(offsets.entrySet().stream()
                    .collect(Collectors.toMap(e -> e.getKey().toString(), Map.Entry::getValue))));
            cli.out().println((dryRun ? "would delete " : "deleting ") + "its internal topics " + internal);
            if (dryRun) {
                return 0;
            }
            Map<TopicPartition, OffsetAndMetadata> moved = new HashMap<>();
            offsets.forEach((partition, offset) -> moved.put(partition, new OffsetAndMetadata(offset)));
            Kafka.get(admin.alterConsumerGroupOffsets(group, moved).all(), settings);
            Set<TopicPartition> internalCommitted = Kafka.get(TopicOffsets.committed(admin, group), settings).keySet().stream()
                    .filter(p -> internal.contains(p.topic())).collect(Collectors.toSet());
            if (!internalCommitted.isEmpty()) {
                Kafka.get(admin.deleteConsumerGroupOffsets(group, internalCommitted).all(), settings);
            }
            if (!internal.isEmpty()) {
                Kafka.get(admin.deleteTopics(internal).all(), settings);
            }
        }
        cli.out().println("reset " + service + ": start it again; it wipes its local state and reprocesses from there.");
        if (target == PipelineService.SHIPMENT_JOIN) {
            cli.out().println("the 7-day join: its windows are rebuilt from what it reads again, so an order and a shipment are"
                    + " joined again only if both are re-read; one whose partner lies before the reset point stays unjoined,"
                    + " and a record more than the window and grace behind the newest ts it has seen is late. Shipped orders"
                    + " written again carry the versions they had, so the index ends as it was for every order re-joined.");
        }
        return 0;
    }

    private Map<TopicPartition, Long> offsets(Admin admin, CliSettings settings, List<TopicPartition> partitions) {
        if (point.earliest) {
            return Kafka.get(TopicOffsets.starts(admin, partitions), settings);
        }
        Instant at;
        try {
            at = Instant.parse(point.datetime);
        } catch (DateTimeParseException e) {
            throw new CliException("--to-datetime " + point.datetime + " is not an ISO-8601 time like 2026-12-04T10:00:00Z");
        }
        Map<TopicPartition, Long> ends = Kafka.get(TopicOffsets.ends(admin, partitions), settings);
        Map<TopicPartition, Long> found = new HashMap<>(Kafka.get(TopicOffsets.at(admin, partitions, at.toEpochMilli()), settings));
        found.replaceAll((partition, offset) -> offset < 0 ? ends.get(partition) : offset);
        return found;
    }
}
