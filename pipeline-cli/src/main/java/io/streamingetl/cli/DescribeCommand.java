package io.streamingetl.cli;

import io.streamingetl.contract.DeadLetterHeaders;
import io.streamingetl.contract.SchemaHistory;
import io.streamingetl.contract.Topic;
import io.streamingetl.contract.Topics;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** ksqlDB's {@code DESCRIBE}: what a topic's keys and values are, every schema version, and its layout. */
@Command(name = "describe", description = "A topic's key type, value schema (Avro JSON), its registry subject and "
        + "schema id, every version in the schema history with its fingerprint, partitions and topic configs.")
final class DescribeCommand implements Runnable {
    @ParentCommand
    private PipelineCli cli;

    @Parameters(paramLabel = "<topic>", description = "a pipeline topic or its .dlq")
    private String topic;

    @Override
    public void run() {
        CliSettings settings = cli.settings();
        Optional<Topic<String, ?>> pipelineTopic = settings.topic(topic);
        Optional<Topic<String, ?>> sourceOfDeadLetters = topic.endsWith(Topics.DEAD_LETTER_SUFFIX)
                ? settings.topic(topic.substring(0, topic.length() - Topics.DEAD_LETTER_SUFFIX.length()))
                : Optional.empty();
        try (Admin admin = Kafka.admin(settings)) {
            Kafka.requireTopic(admin, settings, topic);
            TopicDescription description = Kafka.get(admin.describeTopics(List.of(topic)).allTopicNames(), settings).get(topic);
            ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
            Config config = Kafka.get(admin.describeConfigs(List.of(resource)).all(), settings).get(resource);

            cli.out().println("topic:      " + topic + pipelineTopic.map(t -> " (setting " + t.setting() + ")").orElse(""));
            cli.out().println("key:        string (UTF-8)");
            if (pipelineTopic.isPresent()) {
                Topic<String, ?> pipeline = pipelineTopic.get();
                Schema current = pipeline.valueSchema();
                OptionalInt id = pipeline.registry().find(pipeline.subject(), current);
                cli.out().println("value:      " + current.getFullName() + ", Confluent wire format (byte 0, 4-byte schema id, "
                        + "Avro body)");
                cli.out().println("registry:   subject " + pipeline.subject() + " at " + pipeline.registry().location() + ", "
                        + (id.isPresent() ? "schema id " + id.getAsInt() + " (written now)" : "today's schema not registered yet"));
                long written = SchemaNormalization.parsingFingerprint64(current);
                List<Schema> history = SchemaHistory.of(current.getName());
                for (int v = 0; v < history.size(); v++) {
                    long fingerprint = SchemaNormalization.parsingFingerprint64(history.get(v));
                    cli.out().printf("version %d:  fingerprint %016x%s%n", v + 1, fingerprint,
                            fingerprint == written ? " (today's)" : " (still read)");
                }
                cli.out().println("            (values written before the registry, in Avro's single-object encoding, are"
                        + " still read by these fingerprints)");
                cli.out().println("schema:     " + current.toString(true).replace("\n", "\n            "));
            } else {
                cli.out().println("value:      the bytes of a record that could not be handled, as read"
                        + sourceOfDeadLetters.map(t -> " from " + t.name()).orElse("")
                        + "; headers " + String.join(", ", DeadLetterHeaders.STAGE, DeadLetterHeaders.ERROR_CLASS,
                        DeadLetterHeaders.ERROR_MESSAGE, DeadLetterHeaders.SOURCE_TOPIC, DeadLetterHeaders.SOURCE_PARTITION,
                        DeadLetterHeaders.SOURCE_OFFSET));
            }
            cli.out().println("partitions: " + description.partitions().size() + ", replication factor "
                    + description.partitions().get(0).replicas().size());
            Map<String, String> set = config.entries().stream()
                    .filter(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                    .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value, (a, b) -> a, TreeMap::new));
            cli.out().println("configs:    " + (set.isEmpty() ? "(the broker's defaults)"
                    : set.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "))));
        }
    }
}
