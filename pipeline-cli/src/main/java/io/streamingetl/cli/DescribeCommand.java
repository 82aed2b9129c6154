package io.streamingetl.cli;

import io.streamingetl.contract.DeadLetterHeaders;
import io.streamingetl.contract.SchemaHistory;
import io.streamingetl.contract.Topic;
import io.streamingetl.contract.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
import picocli.CommandLine.Mixin;
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

    @Mixin
    private Output output;

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

            Map<String, String> set = config.entries().stream()
                    .filter(e -> e.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG)
                    .collect(Collectors.toMap(ConfigEntry::name, ConfigEntry::value, (a, b) -> a, TreeMap::new));
            Map<String, Object> facts = new LinkedHashMap<>();
            facts.put("topic", topic);
            facts.put("setting", pipelineTopic.map(Topic::setting).orElse(null));
            facts.put("key", "string (UTF-8)");
            if (pipelineTopic.isPresent()) {
                Topic<String, ?> pipeline = pipelineTopic.get();
                Schema current = pipeline.valueSchema();
                OptionalInt id = pipeline.registry().find(pipeline.subject(), current);
                facts.put("value", current.getFullName());
                facts.put("subject", pipeline.subject());
                facts.put("registry", pipeline.registry().location().toString());
                facts.put("schema_id", id.isPresent() ? id.getAsInt() : null);
                long written = SchemaNormalization.parsingFingerprint64(current);
                List<Map<String, Object>> versions = new ArrayList<>();
                List<Schema> history = SchemaHistory.of(current.getName());
                for (int v = 0; v < history.size(); v++) {
                    long fingerprint = SchemaNormalization.parsingFingerprint64(history.get(v));
                    versions.add(Map.of("version", v + 1, "fingerprint", String.format("%016x", fingerprint),
                            "written_now", fingerprint == written));
                }
                facts.put("versions", versions);
                facts.put("schema", current.toString(true));
            } else {
                facts.put("value", "dead letters" + sourceOfDeadLetters.map(t -> " of " + t.name()).orElse(""));
            }
            facts.put("partitions", description.partitions().size());
            facts.put("replication_factor", description.partitions().get(0).replicas().size());
            facts.put("configs", set);
            if (output.json()) {
                facts.computeIfPresent("schema", (k, schema) -> readJson((String) schema));
                cli.out().println(Output.write(facts));
            } else {
                print(facts, sourceOfDeadLetters);
            }
        }
    }

    private void print(Map<String, Object> facts, Optional<Topic<String, ?>> sourceOfDeadLetters) {
        cli.out().println("topic:      " + topic + (facts.get("setting") == null ? "" : " (setting " + facts.get("setting") + ")"));
        cli.out().println("key:        string (UTF-8)");
        if (facts.containsKey("schema")) {
            cli.out().println("value:      " + facts.get("value") + ", Confluent wire format (byte 0, 4-byte schema id, Avro body)");
            cli.out().println("registry:   subject " + facts.get("subject") + " at " + facts.get("registry") + ", "
                    + (facts.get("schema_id") != null ? "schema id " + facts.get("schema_id") + " (written now)"
                    : "today's schema not registered yet"));
            for (Object version : (List<?>) facts.get("versions")) {
                Map<?, ?> v = (Map<?, ?>) version;
                cli.out().printf("version %s:  fingerprint %s%s%n", v.get("version"), v.get("fingerprint"),
                        Boolean.TRUE.equals(v.get("written_now")) ? " (today's)" : " (still read)");
            }
            cli.out().println("            (values written before the registry, in Avro's single-object encoding, are"
                    + " still read by these fingerprints)");
            cli.out().println("schema:     " + ((String) facts.get("schema")).replace("\n", "\n            "));
        } else {
            cli.out().println("value:      the bytes of a record that could not be handled, as read"
                    + sourceOfDeadLetters.map(t -> " from " + t.name()).orElse("")
                    + "; headers " + String.join(", ", DeadLetterHeaders.STAGE, DeadLetterHeaders.ERROR_CLASS,
                    DeadLetterHeaders.ERROR_MESSAGE, DeadLetterHeaders.SOURCE_TOPIC, DeadLetterHeaders.SOURCE_PARTITION,
                    DeadLetterHeaders.SOURCE_OFFSET));
        }
        cli.out().println("partitions: " + facts.get("partitions") + ", replication factor " + facts.get("replication_factor"));
        Map<?, ?> set = (Map<?, ?>) facts.get("configs");
        cli.out().println("configs:    " + (set.isEmpty() ? "(the broker's defaults)"
                : set.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "))));
    }

    private static Object readJson(String json) {
        try {
            return RecordJson.JSON.readTree(json);
        } catch (java.io.IOException e) {
            return json;
        }
    }
}
