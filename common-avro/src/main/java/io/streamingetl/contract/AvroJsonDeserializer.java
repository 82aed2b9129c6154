package io.streamingetl.contract;

import java.io.IOException;
import java.net.URI;
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
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Any pipeline value as JSON, decoded with the very schema version that wrote it: the registry's schema for
 * the id of a value in Confluent's wire format, or the version of {@link SchemaHistory} named by the fingerprint
 * of a single-object encoded one. It has a no-arg constructor, so Kafka's own console consumer can use it
 * ({@code --property value.deserializer=io.streamingetl.contract.AvroJsonDeserializer --property
 * value.deserializer.schema.registry.url=...}); Confluent's tools read the topics without it.
 * Bytes that are not a pipeline value (a dead letter's original input, say) come out as a JSON string of their
 * UTF-8 text, or of their base64 when they are not text.
 */
public final class AvroJsonDeserializer implements Deserializer<String> {
    /** The registry's URL, as Confluent's deserializers name the setting. */
    public static final String SCHEMA_REGISTRY_URL_CONFIG = "schema.registry.url";
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

    private SchemaRegistry registry;

    /** Decodes single-object encoded values, and Confluent ones once configured with {@value #SCHEMA_REGISTRY_URL_CONFIG}. */
    public AvroJsonDeserializer() {
    }

    /** Decodes both encodings, asking {@code registry} for the schemas of Confluent ones (null: none). */
    public AvroJsonDeserializer(SchemaRegistry registry) {
        this.registry = registry;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        Object url = configs.get(SCHEMA_REGISTRY_URL_CONFIG);
        if (url != null && registry == null) {
            registry = new ConfluentRegistryClient(URI.create(url.toString()));
        }
    }

    @Override
    public String deserialize(String topic, byte[] value) {
        if (value == null) {
            return null;
        }
        int offset = 10;
        Schema writer = writerOf(value);
        if (writer == null && registry != null && value.length > 5 && value[0] == AvroSerde.CONFLUENT_MAGIC) {
            offset = 5;
            try {
                writer = registry.schema(ByteBuffer.wrap(value, 1, 4).getInt());
            } catch (SerializationException e) {
                // an id the registry does not know: shown as the bytes it is
            }
        }
        if (writer != null) {
            try {
                Object record = new GenericDatumReader<>(writer)
                        .read(null, DecoderFactory.get().binaryDecoder(value, offset, value.length - offset, null));
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
