package io.streamingetl.contract;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageDecoder;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.message.SchemaStore;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;
import org.apache.avro.util.ClassSecurityValidator;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serializer;

/**
 * A Kafka serde for one Avro record type. With a {@link SchemaRegistry} it writes Confluent's wire format
 * (byte 0, the 4-byte schema id of {@code subject}, the Avro body), which every Kafka tool reads; without one,
 * Avro's single-object encoding (marker, 64-bit schema fingerprint, body), which the pipeline wrote before it had
 * a registry. It reads both: a Confluent value with the writer schema the registry gives for its id, a
 * single-object value with the version of the record's {@link SchemaHistory} its fingerprint names, so topics
 * written before the move to the registry still decode. A null value (a tombstone) stays null both ways.
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

    /** The first byte of a value in Confluent's wire format. */
    static final byte CONFLUENT_MAGIC = 0;
    private static final int CONFLUENT_HEADER = 5;

    private final Class<T> type;
    private final Schema current;
    private final SpecificData model;
    private final BinaryMessageEncoder<T> encoder;
    private final BinaryMessageDecoder<T> decoder;
    private final SchemaRegistry registry;
    private final String subject;
    private final SpecificDatumWriter<T> writer;
    private final Map<Integer, SpecificDatumReader<T>> readers = new ConcurrentHashMap<>();
    /** The current schema's id under {@code subject}, once the registry gave it (-1 before). */
    private volatile int id = -1;

    /** A serde that writes single-object encoded values of the current schema and reads every version ever shipped. */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type) {
        return of(type, null, null);
    }

    /**
     * A serde that writes the current schema in Confluent's wire format under {@code subject} of {@code registry}
     * (single-object encoded when {@code registry} is null) and reads both formats.
     */
    public static <T extends SpecificRecord> AvroSerde<T> of(Class<T> type, SchemaRegistry registry, String subject) {
        Schema current = SpecificData.get().getSchema(type);
        return new AvroSerde<>(type, current, SchemaHistory.of(current.getName()), registry, subject);
    }

    /** A single-object serde that writes {@code current} and reads anything written with one of {@code writerSchemas}. */
    public AvroSerde(Class<T> type, Schema current, List<Schema> writerSchemas) {
        this(type, current, writerSchemas, null, null);
    }

    private AvroSerde(Class<T> type, Schema current, List<Schema> writerSchemas, SchemaRegistry registry, String subject) {
        this.type = type;
        this.current = current;
        trust(type);
        this.model = SpecificData.getForClass(type);
        // The generated classes' own field-by-field coders, off by default in Avro: the generic path resolves each
        // nullable field's union branch by schema name and took a tenth of the join's CPU in its profile.
        model.setCustomCoders(true);
        SchemaStore.Cache store = new SchemaStore.Cache();
        writerSchemas.forEach(store::addSchema);
        this.encoder = new BinaryMessageEncoder<>(model, current);
        this.decoder = new BinaryMessageDecoder<>(model, current, store);
        this.decoder.addSchema(current);
        this.registry = registry;
        this.subject = subject;
        this.writer = new SpecificDatumWriter<>(current, model);
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
        if (registry != null && id < 0) {
            // Registered at the service's start, so this is the client's cache answering, once per serde.
            id = registry.register(subject, current);
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(128);
            if (registry == null) {
                encoder.encode(value, out);
            } else {
                out.write(CONFLUENT_MAGIC);
                out.write(ByteBuffer.allocate(4).putInt(id).array());
                BinaryEncoder body = EncoderFactory.get().directBinaryEncoder(out, null);
                writer.write(value, body);
                body.flush();
            }
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
            if (data.length > 0 && data[0] == CONFLUENT_MAGIC) {
                return decodeConfluent(data);
            }
            return decoder.decode(ByteBuffer.wrap(data));
        } catch (SchemaRegistry.UnavailableException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new SerializationException("Cannot decode a " + type.getSimpleName() + " from topic " + topic
                    + " (" + data.length + " bytes): " + e.getMessage(), e);
        }
    }

    private T decodeConfluent(byte[] data) throws IOException {
        if (data.length < CONFLUENT_HEADER) {
            throw new SerializationException("a Confluent header needs 5 bytes");
        }
        int writerId = ByteBuffer.wrap(data, 1, 4).getInt();
        if (registry == null) {
            throw new SerializationException("it carries schema id " + writerId + " of a schema registry, and none is configured"
                    + " (SCHEMA_REGISTRY_URL)");
        }
        SpecificDatumReader<T> reader = readers.get(writerId);
        if (reader == null) {
            reader = new SpecificDatumReader<>(registry.schema(writerId), current, model);
            readers.put(writerId, reader);
        }
        return reader.read(null, DecoderFactory.get().binaryDecoder(data, CONFLUENT_HEADER, data.length - CONFLUENT_HEADER, null));
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
