package io.streamingetl.contract;

import java.util.function.Supplier;
import org.apache.avro.Schema;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;

/**
 * A pipeline topic: the setting that renames it, its name, the schema registry its values' schemas live in,
 * and the serdes of its keys and values. It is the only place a topic meets its serdes, so nothing pairs a
 * name with a serde by hand. Each call for a serde gives a new instance, as Kafka Streams configures and closes
 * the serdes it is handed; the {@code serialize*}/{@code deserialize*} helpers share one (the serdes are
 * thread-safe). The constants in {@link Topics} have no registry (their values are single-object encoded); a
 * deployment's topics come from {@link #registeredIn}.
 */
public final class Topic<K, V> {
    /** Makes a value serde writing under {@code subject} of {@code registry} (null: no registry). */
    interface ValueSerdes<V> {
        Serde<V> create(SchemaRegistry registry, String subject);
    }

    private final String setting;
    private final String name;
    private final Supplier<Serde<K>> keySerde;
    private final ValueSerdes<V> valueSerdes;
    private final Schema valueSchema;
    private final SchemaRegistry registry;
    private final Serde<K> sharedKeySerde;
    private final Serde<V> sharedValueSerde;

    Topic(String setting, String name, Supplier<Serde<K>> keySerde, ValueSerdes<V> valueSerdes, Schema valueSchema,
          SchemaRegistry registry) {
        this.setting = setting;
        this.name = name;
        this.keySerde = keySerde;
        this.valueSerdes = valueSerdes;
        this.valueSchema = valueSchema;
        this.registry = registry;
        this.sharedKeySerde = keySerde.get();
        this.sharedValueSerde = valueSerde();
    }

    /** The setting (environment variable) whose value renames this topic in a deployment. */
    public String setting() {
        return setting;
    }

    public String name() {
        return name;
    }

    /** The same topic under the name a deployment (or a test) gives it. */
    public Topic<K, V> named(String otherName) {
        return new Topic<>(setting, otherName, keySerde, valueSerdes, valueSchema, registry);
    }

    /** The same topic with its values in Confluent's wire format, their schema under {@link #subject()} of {@code schemaRegistry}. */
    public Topic<K, V> registeredIn(SchemaRegistry schemaRegistry) {
        return new Topic<>(setting, name, keySerde, valueSerdes, valueSchema, schemaRegistry);
    }

    /** The registry subject of its values, by Confluent's default naming (TopicNameStrategy). */
    public String subject() {
        return name + "-value";
    }

    /** Registers {@link #valueSchema()} under {@link #subject()}: its id, or the registry's refusal. */
    public int registerValueSchema() {
        if (registry == null) {
            throw new IllegalStateException("Topic " + name + " has no schema registry");
        }
        return registry.register(subject(), valueSchema);
    }

    /** Null for values in the single-object encoding. */
    public SchemaRegistry registry() {
        return registry;
    }

    /** The Avro schema its values are written with now; older versions are in {@link SchemaHistory}. */
    public Schema valueSchema() {
        return valueSchema;
    }

    /** Where a record read from this topic goes when it cannot be handled. */
    public String deadLetters() {
        return Topics.deadLetterOf(name);
    }

    public Serde<K> keySerde() {
        return keySerde.get();
    }

    public Serde<V> valueSerde() {
        return valueSerdes.create(registry, subject());
    }

    public Consumed<K, V> consumed() {
        return Consumed.with(keySerde(), valueSerde());
    }

    public Produced<K, V> produced() {
        return Produced.with(keySerde(), valueSerde());
    }

    public byte[] serializeKey(K key) {
        return sharedKeySerde.serializer().serialize(name, key);
    }

    public byte[] serializeValue(V value) {
        return sharedValueSerde.serializer().serialize(name, value);
    }

    public K deserializeKey(byte[] key) {
        return sharedKeySerde.deserializer().deserialize(name, key);
    }

    public V deserializeValue(byte[] value) {
        return sharedValueSerde.deserializer().deserialize(name, value);
    }

    @Override
    public String toString() {
        return name;
    }
}
