package io.streamingetl.contract;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DecoderFactory;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Any pipeline value as JSON, decoded with the very schema version that wrote it (found by the fingerprint
 * in its single-object header among every version in {@link SchemaHistory}). It has a no-arg constructor, so
 * Kafka's own tools can use it:
 * {@code kafka-console-consumer.sh --value-deserializer io.streamingetl.contract.AvroJsonDeserializer}.
 * Bytes that are not a pipeline value (a dead letter's original input, say) come out as a JSON string of their
 * UTF-8 text, or of their base64 when they are not text.
 */
public final class AvroJsonDeserializer implements Deserializer<String> {
    /** Every record type of the pipeline, whose schema history this decoder knows. */
    static final List<String> RECORDS = List.of("Customer", "Order", "Shipment", "EnrichedOrder", "ShippedOrder");
    private static final Map<Long, Schema> WRITERS = new HashMap<>();

    static {
        AvroSerde.limitDeclaredLengths();
        for (String record : RECORDS) {
            for (Schema schema : SchemaHistory.of(record)) {
                WRITERS.put(SchemaNormalization.parsingFingerprint64(schema), schema);
            }
        }
    }

    /** The writer schema of {@code value}, or null when it is no pipeline value. */
    public static Schema writerOf(byte[] value) {
        if (value == null || value.length < 10 || value[0] != (byte) 0xC3 || value[1] != 0x01) {
            return null;
        }
        return WRITERS.get(ByteBuffer.wrap(value, 2, 8).order(ByteOrder.LITTLE_ENDIAN).getLong());
    }

    @Override
    public String deserialize(String topic, byte[] value) {
        if (value == null) {
            return null;
        }
        Schema writer = writerOf(value);
        if (writer != null) {
            try {
                Object record = new GenericDatumReader<>(writer)
                        .read(null, DecoderFactory.get().binaryDecoder(value, 10, value.length - 10, null));
                return GenericData.get().toString(record);
            } catch (IOException | RuntimeException e) {
                // a damaged body: shown as the bytes it is
            }
        }
        return GenericData.get().toString(text(value));
    }

    private static String text(byte[] value) {
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(value)).toString();
        } catch (CharacterCodingException e) {
            return "base64:" + Base64.getEncoder().encodeToString(value);
        }
    }
}
