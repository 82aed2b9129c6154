package io.streamingetl.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamingetl.contract.AvroJsonDeserializer;
import io.streamingetl.contract.DeadLetterHeaders;
import io.streamingetl.contract.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** The dead letters of a topic: why each record could not be handled, and where it came from. */
@Command(name = "dlq", description = "The dead letters of a topic (from its beginning): stage, error class and "
        + "message, source topic/partition/offset, key and value.", subcommands = DlqReplayCommand.class)
final class DlqCommand implements Runnable {
    @ParentCommand
    private PipelineCli cli;

    // Optional here only so that "dlq replay <topic>" parses; "dlq" alone needs it.
    @Parameters(paramLabel = "<topic>", arity = "0..1", description = "a pipeline topic, or its .dlq")
    private String topic;

    @Spec
    private CommandSpec spec;

    @Option(names = "--limit", paramLabel = "N", description = "at most N dead letters")
    private long limit = Long.MAX_VALUE;

    @Mixin
    private Output output;

    PipelineCli cli() {
        return cli;
    }

    /** The dead-letter topic of {@code topic} (given as a pipeline topic or as its .dlq), which must exist. */
    static String deadLetterTopic(CliSettings settings, Admin admin, String topic) {
        String deadLetters = topic.endsWith(Topics.DEAD_LETTER_SUFFIX) ? topic : Topics.deadLetterOf(topic);
        Kafka.requireTopic(admin, settings, deadLetters);
        return deadLetters;
    }

    @Override
    public void run() {
        if (topic == null) {
            throw new ParameterException(spec.commandLine(), "Missing required parameter: '<topic>'");
        }
        CliSettings settings = cli.settings();
        String deadLetters;
        try (Admin admin = Kafka.admin(settings)) {
            deadLetters = deadLetterTopic(settings, admin, topic);
        }
        long shown = 0;
        List<Map<String, Object>> rows = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = Kafka.consumer(settings, null)) {
            List<TopicPartition> partitions = Kafka.assignAll(consumer, deadLetters);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            while (shown < limit && !Kafka.atEnd(consumer, ends)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    ObjectNode deadLetter = describe(record, settings.values());
                    if (output.table() || output.json()) {
                        rows.add(RecordJson.JSON.convertValue(deadLetter, new TypeReference<Map<String, Object>>() { }));
                    } else {
                        cli.out().println(RecordJson.line(deadLetter));
                    }
                    if (++shown >= limit) {
                        break;
                    }
                }
            }
        }
        if (output.table()) {
            output.rows(cli.out(), List.of("offset", DeadLetterHeaders.STAGE, DeadLetterHeaders.ERROR_MESSAGE,
                    DeadLetterHeaders.SOURCE_TOPIC, DeadLetterHeaders.SOURCE_OFFSET, "key"), rows);
        } else if (output.json()) {
            cli.out().println(Output.write(rows));
        }
        cli.err().println(shown + " dead letters in " + deadLetters);
    }

    /** A dead letter's reason and origin first, then the record as it came. */
    static ObjectNode describe(ConsumerRecord<byte[], byte[]> record, AvroJsonDeserializer values) {
        ObjectNode line = RecordJson.JSON.createObjectNode();
        line.put("offset", record.offset());
        for (String header : List.of(DeadLetterHeaders.STAGE, DeadLetterHeaders.ERROR_CLASS, DeadLetterHeaders.ERROR_MESSAGE,
                DeadLetterHeaders.SOURCE_TOPIC, DeadLetterHeaders.SOURCE_PARTITION, DeadLetterHeaders.SOURCE_OFFSET)) {
            line.put(header, DeadLetterHeaders.header(record.headers(), header));
        }
        ObjectNode asRead = RecordJson.of(record, values);
        line.set("key", asRead.get("key"));
        line.set("value", asRead.get("value"));
        return line;
    }
}
