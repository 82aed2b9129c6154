package io.streamingetl.contract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.avro.Schema;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde for one Avro record type in Avro's single-object encoding (marker, 64-bit schema
 * fingerprint, body): self-describing without a schema registry, which is not obtainable here. It decodes
 * any version in the record's {@link SchemaHistory}. Services only see Kafka's {@link Serde}, so a registry
 * serde can take its place where a registry exists. A null value (a tombstone) stays null both ways.
 */
public final class AvroSerde<T extends SpecificRecord> implements Serde<T>, Serializer<T>, Deserializer<T> {
    private static final Set<Class<?>> TRUSTED = new HashSet<>();
    /** The longest string, bytes or collection a value may declare: a record of the broker's default maximum size. */
    static final String MAX_LENGTH = Integer.toString(1024 * 1024);

    static {
        limitDeclaredLengths();
    }

    /**
     * Avro allocates what a value declares before reading it: without a limit, a crafted value of a few bytes
     * declaring a 2 GB string exhausts the heap. Avro reads these once, at its first decode, which goes through
     * a class of this package that calls this first; an operator's own -D setting wins.
     */
    static void limitDeclaredLengths() {
        for (String limit : List.of("org.apache.avro.limits.string.maxLength", "org.apache.avro.limits.bytes.maxLength",
                "org.apache.avro.limits.collectionItems.maxLength")) {
            if (System.getProperty(limit) == null) {
                System.setProperty(limit, MAX_LENGTH);
            }
        }
    }

    private final Class<T> type;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;

    /** A serde that writes the current schema and reads every version ever shipped. */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        Schema current = SpecificData.get().getSchema(type);
        return new AvroSerde<>(type, current, SchemaHistory.of(current.getName()));
    }

    /** A serde that writes {@code current} and reads anything written with one of {@code writerSchemas}. */
    public AvroSerde(Class<T> type, Schema current, List<Schema> writerSchemas) {
        this.type = type;
        trust(type);
        SpecificData model = SpecificData.getForClass(type);
        SchemaStore.Cache store = new SchemaStore.Cache();
        writerSchemas.forEach(store::addSchema);
        this.encoder = new BinaryMessageEncoder<>(model, current);
        this.decoder = new BinaryMessageDecoder<>(model, current, store);
        this.decoder.addSchema(current);
    }

    /**
     * Avro 1.12 instantiates only trusted classes while decoding: trust exactly the record types that have a
     * serde, rather than a whole package through system properties.
     */
    private static synchronized void trust(Class<?> type) {
        if (TRUSTED.add(type)) {
            ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(
                    ClassSecurityValidator.getGlobal(), ClassSecurityValidator.builder().add(type).build()));
        }
    }

    @Override
    public byte[] serialize(String topic, T value) {
        if (value == null) {
            return null;
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(128);
            encoder.encode(value, out);
            return out.toByteArray();
        } catch (IOException | RuntimeException e) {
            throw new SerializationException(
                    "Cannot encode a " + type.getSimpleName() + " for topic " + topic + ": " + e.getMessage(), e);
        }
    }

    @Override
    public T deserialize(String topic, byte[] data) {
        if (data == null) {
            return null;
        }
        try {
            return decoder.decode(ByteBuffer.wrap(data));
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot decode a " + type.getSimpleName() + " from topic " + topic
                    + " (" + data.length + " bytes): " + e.getMessage(), e);
        }
    }

    @Override
    public Serializer<T> serializer() {
        return this;
    }

    @Override
    public Deserializer<T> deserializer() {
        return this;
    }

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
    }

    @Override
    public void close() {
    }
}
