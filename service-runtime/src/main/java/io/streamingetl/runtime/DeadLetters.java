package io.streamingetl.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamingetl.contract.Topics;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that cannot be parsed, mapped or indexed becomes a dead letter: its raw bytes as read, on
 * {@code <topic>.dlq}, with the reason and its source in headers. Each one is counted
 * ({@code pipeline_dead_letters_total}) and logged once, in one line that finds it again.
 */
public final class DeadLetters {
    public static final String STAGE = "error.stage";
    public static final String ERROR_CLASS = "error.class";
    public static final String ERROR_MESSAGE = "error.message";
    public static final String SOURCE_TOPIC = "source.topic";
    public static final String SOURCE_PARTITION = "source.partition";
    public static final String SOURCE_OFFSET = "source.offset";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private static final int MAX_MESSAGE_CHARS = 1000;

    private final MeterRegistry registry;

    public DeadLetters(MeterRegistry registry) {
        this.registry = registry;
    }

    public ProducerRecord<byte[], byte[]> record(String stage, String sourceTopic, int partition, long offset,
                                                 byte[] key, byte[] value, Throwable error) {
        return record(stage, sourceTopic, Integer.toString(partition), Long.toString(offset), key, value, error);
    }

    /**
     * For a record that was not read from Kafka (a captured change): its partition and offset are the
     * source's own (Debezium's source partition and offset), as text.
     */
    public ProducerRecord<byte[], byte[]> record(String stage, String sourceTopic, String partition, String offset,
                                                 byte[] key, byte[] value, Throwable error) {
        String reason = reason(error);
        RecordHeaders headers = new RecordHeaders();
        headers.add(STAGE, utf8(stage));
        headers.add(ERROR_CLASS, utf8(error.getClass().getName()));
        headers.add(ERROR_MESSAGE, utf8(reason));
        headers.add(SOURCE_TOPIC, utf8(sourceTopic));
        headers.add(SOURCE_PARTITION, utf8(partition));
        headers.add(SOURCE_OFFSET, utf8(offset));
        String deadLetterTopic = Topics.deadLetterOf(sourceTopic);

        Counter.builder("pipeline_dead_letters")
                .description("Records sent to a dead-letter topic")
                .tag("source_topic", sourceTopic)
                .tag("stage", stage)
                .register(registry)
                .increment();
        LOG.warn("Dead letter: {} failed for {}-{}@{} key={}: {}: {} -> {}", stage, sourceTopic, partition, offset,
                key == null ? "null" : new String(key, StandardCharsets.UTF_8), error.getClass().getSimpleName(),
                reason, deadLetterTopic);
        return new ProducerRecord<>(deadLetterTopic, null, key, value, headers);
    }

    /**
     * What the broker refuses for the record itself, never for a retry to cure (a timestamp out of its range,
     * a record too large, an invalid record): such a record is a dead letter, and the next one flows.
     */
    public static boolean refusedByTheBrokerForItself(Throwable error) {
        return error instanceof InvalidTimestampException || error instanceof RecordTooLargeException
                || error instanceof RecordBatchTooLargeException || error instanceof InvalidRecordException;
    }

    /** The text of a dead letter's header {@code name} (one of the constants above), or null. */
    public static String header(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static String reason(Throwable error) {
        StringBuilder reason = new StringBuilder(String.valueOf(error.getMessage()));
        for (Throwable cause = error.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !reason.toString().contains(cause.getMessage())) {
                reason.append("; caused by ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
            }
        }
        return reason.length() > MAX_MESSAGE_CHARS ? reason.substring(0, MAX_MESSAGE_CHARS) + "..." : reason.toString();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
