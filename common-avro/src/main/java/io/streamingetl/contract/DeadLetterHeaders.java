package io.streamingetl.contract;

import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers a dead letter on {@code <topic>.dlq} carries beside its record's own (the contract's): where it
 * failed ({@link #STAGE}), why ({@link #ERROR_CLASS}, {@link #ERROR_MESSAGE}), where it was read from
 * ({@link #SOURCE_TOPIC}, {@link #SOURCE_PARTITION}, {@link #SOURCE_OFFSET}), and, only when its payload was cut
 * to fit in Kafka, how large it was ({@link #PAYLOAD_BYTES}).
 */
public final class DeadLetterHeaders {
    public static final String STAGE = "error.stage";
    public static final String ERROR_CLASS = "error.class";
    public static final String ERROR_MESSAGE = "error.message";
    public static final String SOURCE_TOPIC = "source.topic";
    public static final String SOURCE_PARTITION = "source.partition";
    public static final String SOURCE_OFFSET = "source.offset";
    /** Set only on a dead letter whose payload was cut: the key's and value's size before, in bytes. */
    public static final String PAYLOAD_BYTES = "error.payload.bytes";
    /** The dead letter's own headers, which a replay leaves out. */
    public static final Set<String> ALL = Set.of(STAGE, ERROR_CLASS, ERROR_MESSAGE, SOURCE_TOPIC, SOURCE_PARTITION,
            SOURCE_OFFSET, PAYLOAD_BYTES);

    private DeadLetterHeaders() {
    }

    /** The text of a dead letter's header {@code name} (one of the constants above), or null. */
    public static String header(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** A dead letter's headers without its own ({@link #ALL}): the record's headers as they were. */
    public static Headers originalHeaders(Headers deadLetter) {
        RecordHeaders original = new RecordHeaders();
        for (Header header : deadLetter.toArray()) {
            if (!ALL.contains(header.key())) {
                original.add(header);
            }
        }
        return original;
    }
}
