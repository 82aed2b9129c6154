package io.streamingetl.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamingetl.contract.DeadLetterHeaders;
import io.streamingetl.contract.Topics;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A record that cannot be parsed, mapped or indexed becomes a dead letter: its raw bytes as read, on
 * {@code <topic>.dlq}, with its own headers (its version, its source's time) and the reason and its source in
 * headers of the dead letter's. Each one is counted ({@code pipeline_dead_letters_total}) and logged once, in
 * one line that finds it again. A dead letter always fits in Kafka: a key and value together larger than
 * {@link #MAX_PAYLOAD_BYTES} are cut to it, the header {@link #DeadLetterHeaders.PAYLOAD_BYTES} saying how large they were (the
 * source position in the other headers still finds the whole).
 */
public final class DeadLetters {
    /**
     * Key and value together, well below Kafka's default limit on a record (1 MiB: the producer's
     * {@code max.request.size}, the broker's {@code message.max.bytes}), with room for the headers.
     */
    public static final int MAX_PAYLOAD_BYTES = 900_000;
    /** The record's own headers kept on its dead letter, at most. */
    private static final int MAX_ORIGINAL_HEADER_BYTES = 16 * 1024;

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
    private static final int MAX_MESSAGE_CHARS = 1000;

    private final MeterRegistry registry;

    public DeadLetters(MeterRegistry registry) {
        this.registry = registry;
    }

    /** The dead letter of a record read from Kafka. */
    public ProducerRecord<byte[], byte[]> record(String stage, ConsumerRecord<byte[], byte[]> record, Throwable error) {
        return record(stage, record.topic(), record.partition(), record.offset(), record.key(), record.value(),
                record.headers(), error);
    }

    public ProducerRecord<byte[], byte[]> record(String stage, String sourceTopic, int partition, long offset,
                                                 byte[] key, byte[] value, Headers original, Throwable error) {
        return record(stage, sourceTopic, Integer.toString(partition), Long.toString(offset), key, value, original, error);
    }

    /**
     * For a record that was not read from Kafka (a captured change): its partition and offset are the
     * source's own (Debezium's source partition and offset), as text.
     */
    public ProducerRecord<byte[], byte[]> record(String stage, String sourceTopic, String partition, String offset,
                                                 byte[] key, byte[] value, Headers original, Throwable error) {
        return record(stage, sourceTopic, sourceTopic, partition, offset, key, value, original, error);
    }

    /**
     * For a record read from an internal topic made from the declared {@code input} (a repartition topic): the dead
     * letter goes to {@code <input>.dlq}, counted under {@code input}, its {@code source.topic} still the topic it was
     * read from, so a replay knows it is not a record of {@code input}.
     */
    public ProducerRecord<byte[], byte[]> record(String stage, String input, String sourceTopic, int partition, long offset,
                                                 byte[] key, byte[] value, Headers original, Throwable error) {
        return record(stage, input, sourceTopic, Integer.toString(partition), Long.toString(offset), key, value, original, error);
    }

    private ProducerRecord<byte[], byte[]> record(String stage, String input, String sourceTopic, String partition,
                                                  String offset, byte[] key, byte[] value, Headers original, Throwable error) {
        String reason = reason(error);
        RecordHeaders headers = new RecordHeaders();
        int originalBytes = 0;
        for (Header header : original == null ? new Header[0] : original.toArray()) {
            int size = header.key().length() + (header.value() == null ? 0 : header.value().length);
            if (!DeadLetterHeaders.ALL.contains(header.key()) && (originalBytes += size) <= MAX_ORIGINAL_HEADER_BYTES) {
                headers.add(header);
            }
        }
        headers.add(DeadLetterHeaders.STAGE, utf8(stage));
        headers.add(DeadLetterHeaders.ERROR_CLASS, utf8(error.getClass().getName()));
        headers.add(DeadLetterHeaders.ERROR_MESSAGE, utf8(reason));
        headers.add(DeadLetterHeaders.SOURCE_TOPIC, utf8(sourceTopic));
        headers.add(DeadLetterHeaders.SOURCE_PARTITION, utf8(partition));
        headers.add(DeadLetterHeaders.SOURCE_OFFSET, utf8(offset));
        int payload = length(key) + length(value);
        if (payload > MAX_PAYLOAD_BYTES) {
            headers.add(DeadLetterHeaders.PAYLOAD_BYTES, utf8(Integer.toString(payload)));
            key = cut(key, MAX_PAYLOAD_BYTES);
            value = cut(value, MAX_PAYLOAD_BYTES - length(key));
        }
        String deadLetterTopic = Topics.deadLetterOf(input);

        Counter.builder("pipeline_dead_letters")
                .description("Records sent to a dead-letter topic")
                .tag("source_topic", input)
                .tag("stage", stage)
                .register(registry)
                .increment();
        LOG.warn("Dead letter: {} failed for {}-{}@{} key={}: {}: {} -> {}{}", stage, sourceTopic, partition, offset,
                key == null ? "null" : SafeText.of(new String(key, StandardCharsets.UTF_8)),
                error.getClass().getSimpleName(), SafeText.of(reason), deadLetterTopic,
                payload > MAX_PAYLOAD_BYTES ? " (" + payload + " bytes, cut to " + MAX_PAYLOAD_BYTES + ")" : "");
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

    private static String reason(Throwable error) {
        StringBuilder reason = new StringBuilder(String.valueOf(error.getMessage()));
        for (Throwable cause = error.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause.getMessage() != null && !reason.toString().contains(cause.getMessage())) {
                reason.append("; caused by ").append(cause.getClass().getSimpleName()).append(": ").append(cause.getMessage());
            }
        }
        return reason.length() > MAX_MESSAGE_CHARS ? reason.substring(0, MAX_MESSAGE_CHARS) + "..." : reason.toString();
    }

    private static int length(byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    private static byte[] cut(byte[] bytes, int max) {
        return bytes == null || bytes.length <= max ? bytes : Arrays.copyOf(bytes, Math.max(0, max));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
