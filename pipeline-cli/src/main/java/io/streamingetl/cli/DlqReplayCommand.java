package io.streamingetl.cli;

import io.streamingetl.contract.DeadLetterHeaders;
import io.streamingetl.contract.Topics;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Sends dead letters back to the topic they were read from, once the cause is fixed (a service's bug, a
 * mapping): each once, its progress kept as the consumer group {@code pipeline-dlq-replay-<dlq topic>}, with the
 * record's own headers, so its version still says how old it is (an old shipped order stays older than the
 * document it would replace). A dead letter whose topic holds a newer record of its key is skipped and said so
 * ({@link NewerOnTopic}): sent back, it would be the record compaction keeps. What cannot be sent back safely is
 * refused and said so, exit code 1: a dead letter
 * read from another topic than this dead-letter topic's, and one cut to fit in Kafka. A capture-stage dead
 * letter (customers-cdc, logistics-cdc) holds the database change as JSON, not a record of its topic: its row or
 * document is re-captured instead ({@link SourceRecapture}), as it is in the database now, once the capture's
 * fix (a mapping, a size limit) is deployed.
 */
@Command(name = "replay", description = "Re-send the dead letters not yet replayed to their source topic, each once, "
        + "and print what was sent.")
final class DlqReplayCommand implements Runnable {
    @ParentCommand
    private DlqCommand dlq;

    @Parameters(paramLabel = "<topic>", description = "a pipeline topic, or its .dlq")
    private String topic;

    @Option(names = "--dry-run", description = "print what would be sent; send nothing, remember nothing")
    private boolean dryRun;

    @Option(names = "--reset", description = "forget what was replayed before and start from the first dead letter")
    private boolean reset;

    @Override
    public void run() {
        PipelineCli cli = dlq.cli();
        CliSettings settings = cli.settings();
        String deadLetters;
        String group;
        try (Admin admin = Kafka.admin(settings)) {
            deadLetters = DlqCommand.deadLetterTopic(settings, admin, topic);
            group = "pipeline-dlq-replay-" + deadLetters;
            boolean known = Kafka.get(admin.listConsumerGroups().all(), settings).stream()
                    .anyMatch(g -> g.groupId().equals(group));
            if (reset && !dryRun && known) {
                Kafka.get(admin.deleteConsumerGroups(List.of(group)).all(), settings);
            }
        }
        String sourceTopic = deadLetters.substring(0, deadLetters.length() - Topics.DEAD_LETTER_SUFFIX.length());
        int refused = 0;
        int skipped = 0;
        List<Future<RecordMetadata>> sends = new ArrayList<>();
        Map<TopicPartition, Long> firstRecapture = new HashMap<>();
        SourceRecapture recapture = new SourceRecapture(settings, sourceTopic);
        try (KafkaConsumer<byte[], byte[]> consumer = Kafka.consumer(settings, group);
             KafkaProducer<byte[], byte[]> producer = Kafka.producer(settings)) {
            List<TopicPartition> partitions = Kafka.assignAll(consumer, deadLetters);
            if (reset) {
                consumer.seekToBeginning(partitions);
            }
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
            NewerOnTopic newer = newerOnTopic(consumer, partitions, ends, sourceTopic);
            while (!Kafka.atEnd(consumer, ends)) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (SourceRecapture.isCaptureStage(record)) {
                        recapture.add(record);
                        firstRecapture.putIfAbsent(new TopicPartition(record.topic(), record.partition()), record.offset());
                        cli.out().println((dryRun ? "would re-capture " : "re-capturing ") + "offset " + record.offset()
                                + " (stage " + DeadLetterHeaders.header(record.headers(), DeadLetterHeaders.STAGE) + "): "
                                + new String(record.key(), StandardCharsets.UTF_8) + " as the source holds it now");
                        continue;
                    }
                    Optional<String> refusal = refusal(record, sourceTopic);
                    if (refusal.isPresent()) {
                        refused++;
                        cli.err().println("refused offset " + record.offset() + ": " + refusal.get());
                        continue;
                    }
                    Optional<String> superseded = newer.newerThan(record);
                    if (superseded.isPresent()) {
                        skipped++;
                        cli.out().println((dryRun ? "would skip " : "skipped ") + "offset " + record.offset() + ": "
                                + superseded.get() + "; sent back, it would become the key's latest record, the one compaction keeps");
                        continue;
                    }
                    String source = Optional.ofNullable(DeadLetterHeaders.header(record.headers(), DeadLetterHeaders.SOURCE_TOPIC))
                            .orElse(sourceTopic);
                    cli.out().println((dryRun ? "would send " : "sent ") + "offset " + record.offset() + " to "
                            + source + ": " + RecordJson.line(DlqCommand.describe(record, settings.values())));
                    if (!dryRun) {
                        sends.add(producer.send(new ProducerRecord<>(source, null, record.key(), record.value(),
                                DeadLetterHeaders.originalHeaders(record.headers()))));
                    } else {
                        sends.add(null);
                    }
                }
            }
            if (dryRun) {
                cli.err().println("would send " + sends.size() + " dead letters from " + deadLetters
                        + (recapture.rows() > 0 ? ", re-capture " + recapture.rows() + " from the source" : "")
                        + (skipped > 0 ? ", skip " + skipped + " superseded" : "")
                        + (refused > 0 ? ", refused " + refused : "") + " (dry run: nothing sent)");
            } else {
                commitOnceSent(consumer, partitions, sends, recapture, firstRecapture, deadLetters, refused, skipped);
            }
        } catch (org.apache.kafka.common.errors.InterruptException e) {
            Thread.currentThread().interrupt();
            throw new PipelineCli.CliException(interrupted(sends.size()));
        }
        if (refused > 0) {
            throw new PipelineCli.CliException(refused + " dead letters of " + deadLetters + " cannot be replayed as they are"
                    + " (see above); re-capture their source rows instead");
        }
    }

    private static final String IDEMPOTENT = "a dead letter sent twice changes nothing: each keeps its record's version, so"
            + " an older one never replaces a newer document";

    private static String interrupted(int sent) {
        return "interrupted after sending " + sent + " dead letters; nothing committed: the next run sends them again ("
                + IDEMPOTENT + ")";
    }

    /**
     * Waits for Kafka to take every send, asks for the re-capture, then commits: everything read when all went well;
     * only up to the first re-captured dead letter of each partition when the re-capture failed (those after it are
     * sent again by the next run); nothing when a send failed. Says which, and fails unless all went well.
     */
    private void commitOnceSent(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> partitions,
                                List<Future<RecordMetadata>> sends, SourceRecapture recapture,
                                Map<TopicPartition, Long> firstRecapture, String deadLetters, int refused, int skipped) {
        PipelineCli cli = dlq.cli();
        int acknowledged = 0;
        try {
            for (Future<RecordMetadata> send : sends) {
                send.get();
                acknowledged++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PipelineCli.CliException(interrupted(sends.size()) + "; " + acknowledged + " of them were acknowledged");
        } catch (ExecutionException e) {
            throw new PipelineCli.CliException("Kafka did not take a replayed record (" + e.getCause().getMessage() + "): sent "
                    + sends.size() + ", " + acknowledged + " acknowledged; nothing committed: the next run sends them again ("
                    + IDEMPOTENT + ")");
        }
        Map<TopicPartition, OffsetAndMetadata> done = new HashMap<>();
        partitions.forEach(p -> done.put(p, new OffsetAndMetadata(consumer.position(p))));
        String recaptureFailure = null;
        try {
            recapture.request().forEach(cli.err()::println);
        } catch (PipelineCli.CliException e) {
            recaptureFailure = e.getMessage();
            firstRecapture.forEach((p, offset) -> done.put(p, new OffsetAndMetadata(offset)));
        }
        consumer.commitSync(done);
        String summary = "sent " + sends.size() + " dead letters from " + deadLetters + (refused > 0 ? ", refused " + refused : "")
                + (skipped > 0 ? ", skipped " + skipped + " superseded on " + deadLetters.substring(0, deadLetters.length()
                - Topics.DEAD_LETTER_SUFFIX.length()) : "") + ", all acknowledged";
        if (recaptureFailure != null) {
            throw new PipelineCli.CliException(summary + "; re-capturing " + recapture.rows() + " rows failed (" + recaptureFailure
                    + "); committed up to " + firstRecapture + " (partition=offset): the next run asks for the re-capture"
                    + " again and sends the dead letters after it again (" + IDEMPOTENT + ")");
        }
        cli.err().println(summary + (recapture.rows() > 0 ? ", re-capture of " + recapture.rows() + " rows asked" : "")
                + ", and committed (" + IDEMPOTENT + ")");
    }

    /**
     * What the source topic holds newer than the dead letters about to be replayed (those sent back as records):
     * their keys gathered in a first read of the dead letters, the source topic read once for them, the dead letters
     * then read again from where they were.
     */
    private NewerOnTopic newerOnTopic(KafkaConsumer<byte[], byte[]> deadLetterReader, List<TopicPartition> partitions,
                                      Map<TopicPartition, Long> ends, String sourceTopic) {
        NewerOnTopic newer = new NewerOnTopic(sourceTopic);
        Map<TopicPartition, Long> from = new HashMap<>();
        partitions.forEach(p -> from.put(p, deadLetterReader.position(p)));
        while (!Kafka.atEnd(deadLetterReader, ends)) {
            for (ConsumerRecord<byte[], byte[]> record : deadLetterReader.poll(Duration.ofMillis(200))) {
                if (!SourceRecapture.isCaptureStage(record) && refusal(record, sourceTopic).isEmpty()) {
                    newer.askAbout(record);
                }
            }
        }
        from.forEach(deadLetterReader::seek);
        if (newer.keys() > 0) {
            dlq.cli().err().println("reading " + sourceTopic + " for records newer than the dead letters' (" + newer.keys() + " keys)");
            try (KafkaConsumer<byte[], byte[]> reader = Kafka.consumer(dlq.cli().settings(), null)) {
                newer.readAll(reader);
            }
        }
        return newer;
    }

    /** Why a dead letter must not be sent back, if it must not. */
    static Optional<String> refusal(ConsumerRecord<byte[], byte[]> record, String sourceTopic) {
        String source = DeadLetterHeaders.header(record.headers(), DeadLetterHeaders.SOURCE_TOPIC);
        if (source != null && source.endsWith("-repartition")) {
            return Optional.of("it was read from " + source + ", a Kafka Streams internal topic made from " + sourceTopic
                    + " and keyed otherwise: sent to " + sourceTopic + " it would be a record of another key. Re-capture the"
                    + " record from its source instead (./pipeline snapshot with --where naming it)");
        }
        if (source != null && !source.equals(sourceTopic)) {
            return Optional.of("it was read from " + source + ", not " + sourceTopic);
        }
        String cut = DeadLetterHeaders.header(record.headers(), DeadLetterHeaders.PAYLOAD_BYTES);
        if (cut != null) {
            return Optional.of("its value was cut to fit (" + cut + " bytes before)");
        }
        return Optional.empty();
    }
}
