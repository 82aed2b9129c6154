package io.streamingetl.cli;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** ksqlDB's {@code PRINT}: a topic's records as JSON lines, values decoded with the schema version that wrote them. */
@Command(name = "print", description = "A topic's records, one JSON object per line (topic, partition, offset, "
        + "timestamp, key, value, headers); from the end unless --from-beginning.")
final class PrintCommand implements Runnable {
    @ParentCommand
    private PipelineCli cli;

    @Parameters(paramLabel = "<topic>", description = "a pipeline topic or its .dlq")
    private String topic;

    @Option(names = "--from-beginning", description = "start at the topic's first record")
    private boolean fromBeginning;

    @Option(names = "--limit", paramLabel = "N", description = "stop after N records")
    private long limit = Long.MAX_VALUE;

    @Option(names = "--follow", description = "keep printing new records until --limit or Ctrl-C (else stop at the end)")
    private boolean follow;

    @Override
    public void run() {
        CliSettings settings = cli.settings();
        try (Admin admin = Kafka.admin(settings)) {
            Kafka.requireTopic(admin, settings, topic);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = Kafka.consumer(settings, null)) {
            List<TopicPartition> partitions = Kafka.assignAll(consumer, topic);
            if (fromBeginning) {
                consumer.seekToBeginning(partitions);
            } else {
                consumer.seekToEnd(partitions);
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long printed = 0;
            while (printed < limit && (follow || !Kafka.atEnd(consumer, ends))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    cli.out().println(RecordJson.line(RecordJson.of(record, cli.settings().values())));
                    if (++printed >= limit) {
                        break;
                    }
                }
                cli.out().flush();
            }
            if (printed == 0 && !follow) {
                cli.err().println(fromBeginning ? topic + " holds no records"
                        : "nothing new on " + topic + " (read from its end: add --from-beginning for what it holds, "
                        + "--follow to wait for new records)");
            }
        }
    }
}
