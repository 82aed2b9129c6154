package io.streamingetl.contract;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Map;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A value with the source position of the change it came from ({@link ChangeHeaders#CHANGE_VERSION}), for the state
 * stores that must compare positions: the join's windows (a shipped order's version is made of its order's and its
 * shipment's) and the customer table (an older customer record never replaces a newer one). Kafka Streams keeps a
 * record's headers only while it flows, not in a store, so the position goes into the stored value. A null value
 * with a position marks a delete.
 */
public record Positioned<V>(long position, V value) {
    /** Marks the stored form; Confluent's wire format starts with 0, Avro's single-object encoding with 0xC3. */
    private static final byte MARKER = 'P';
    private static final int PREFIX = 1 + Long.BYTES;

    /**
     * Stored as the marker, the position (8 bytes) and the inner serde's bytes. Bytes without the marker (a store
     * written before positions were kept) are read as the value alone, at position 0: unknown.
     */
    public static <V> Serde<Positioned<V>> serde(Serde<V> inner) {
        Serializer<Positioned<V>> serializer = (topic, positioned) -> {
            if (positioned == null) {
                return null;
            }
            byte[] value = inner.serializer().serialize(topic, positioned.value());
            ByteBuffer bytes = ByteBuffer.allocate(PREFIX + (value == null ? 0 : value.length));
            bytes.put(MARKER).putLong(positioned.position());
            if (value != null) {
                bytes.put(value);
            }
            return bytes.array();
        };
        Deserializer<Positioned<V>> deserializer = (topic, bytes) -> {
            if (bytes == null) {
                return null;
            }
            if (bytes.length < PREFIX || bytes[0] != MARKER) {
                return new Positioned<>(0, inner.deserializer().deserialize(topic, bytes));
            }
            long position = ByteBuffer.wrap(bytes, 1, Long.BYTES).getLong();
            V value = bytes.length == PREFIX ? null
                    : inner.deserializer().deserialize(topic, Arrays.copyOfRange(bytes, PREFIX, bytes.length));
            return new Positioned<>(position, value);
        };
        return new Serde<>() {
            @Override
            public Serializer<Positioned<V>> serializer() {
                return serializer;
            }

            @Override
            public Deserializer<Positioned<V>> deserializer() {
                return deserializer;
            }

            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {
                inner.configure(configs, isKey);
            }

            @Override
            public void close() {
                inner.close();
            }
        };
    }

    /** True when this position is known to be older than {@code other}'s (a position of 0 is unknown: never older). */
    public boolean olderThan(Positioned<?> other) {
        return other != null && position > 0 && other.position() > 0 && position < other.position();
    }
}
