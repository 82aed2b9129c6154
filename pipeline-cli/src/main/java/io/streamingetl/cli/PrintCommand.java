package io.streamingetl.cli;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
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

/**
 * ksqlDB's {@code PRINT}: a topic's records as JSON lines, values decoded with the schema version that wrote them,
 * from the end, the beginning, an offset of a partition or a time, filtered by key, sampled at an interval.
 */
@Command(name = "print", description = "A topic's records, one JSON object per line (topic, partition, offset, "
        + "timestamp, key, value, headers); from the end unless --from-beginning, --offset or --from-time.")
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

    @Option(names = "--partition", paramLabel = "P", description = "only partition P")
    private Integer partition;

    @Option(names = "--offset", paramLabel = "N", description = "start at offset N (of each partition read)")
    private Long offset;

    @Option(names = "--from-time", paramLabel = "ISO-8601", description = "start at the first record at or after this "
            + "time, e.g. 2026-12-04T10:00:00Z")
    private Instant fromTime;

    @Option(names = "--key", paramLabel = "K", description = "only records whose key is K")
    private String key;

    @Option(names = "--interval", paramLabel = "N", description = "print one record in every N (of those matching)")
    private long interval = 1;

    @Override
    public void run() {
        CliSettings settings = cli.settings();
        try (Admin admin = Kafka.admin(settings)) {
            Kafka.requireTopic(admin, settings, topic);
        }
        try (KafkaConsumer<byte[], byte[]> consumer = Kafka.consumer(settings, null)) {
            List<TopicPartition> partitions = Kafka.assignAll(consumer, topic).stream()
                    .filter(p -> partition == null || p.partition() == partition).toList();
            if (partitions.isEmpty()) {
                throw new PipelineCli.CliException(topic + " has no partition " + partition);
            }
            consumer.assign(partitions);
            seek(consumer, partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long printed = 0;
            long matched = 0;
            while (printed < limit && (follow || !Kafka.atEnd(consumer, ends))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key != null && (record.key() == null || !key.equals(new String(record.key(), StandardCharsets.UTF_8)))
                            || matched++ % interval != 0) {
                        continue;
                    }
                    cli.out().println(RecordJson.line(RecordJson.of(record, cli.settings().values())));
                    if (++printed >= limit) {
                        break;
                    }
                }
                cli.out().flush();
            }
            if (printed == 0 && !follow) {
                cli.err().println(fromBeginning || offset != null || fromTime != null ? "no record of " + topic + " to print there"
                        : "nothing new on " + topic + " (read from its end: add --from-beginning for what it holds, "
                        + "--follow to wait for new records)");
            }
        }
    }

    private void seek(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions) {
        if (offset != null) {
            partitions.forEach(p -> consumer.seek(p, offset));
        } else if (fromTime != null) {
            Map<TopicPartition, Long> at = new HashMap<>();
            partitions.forEach(p -> at.put(p, fromTime.toEpochMilli()));
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            consumer.offsetsForTimes(at).forEach((p, found) -> consumer.seek(p, found == null ? ends.get(p) : found.offset()));
        } else if (fromBeginning) {
            consumer.seekToBeginning(partitions);
        } else {
            consumer.seekToEnd(partitions);
        }
    }
}
