package io.streamingetl.testkit;

import io.streamingetl.contract.Topic;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** Writes records to a topic and waits for each ack: how tests put input in place before a service starts. */
public final class TopicWriter implements AutoCloseable {
    private final KafkaProducer<byte[], byte[]> producer;

    public TopicWriter(String bootstrapServers) {
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer());
    }

    public <V> void write(Topic<String, V> topic, String key, V value, Instant timestamp) {
        writeRaw(topic.name(), key, topic.serializeValue(value), timestamp);
    }

    /**
     * {@code record} in Confluent's wire format under schema {@code id}, written as an older writer (or another
     * program) would: with a schema the reading service may not have seen.
     */
    public void writeWithSchemaId(String topic, String key, int id, GenericRecord record, Instant timestamp) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0);
        out.writeBytes(ByteBuffer.allocate(4).putInt(id).array());
        try {
            BinaryEncoder body = EncoderFactory.get().directBinaryEncoder(out, null);
            new GenericDatumWriter<GenericRecord>(record.getSchema()).write(record, body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        writeRaw(topic, key, out.toByteArray(), timestamp);
    }

    public void writeRaw(String topic, String key, byte[] value, Instant timestamp) {
        try {
            producer.send(new ProducerRecord<>(topic, null, timestamp == null ? null : timestamp.toEpochMilli(),
                    key == null ? null : key.getBytes(StandardCharsets.UTF_8), value)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot write to " + topic + ": " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        producer.close();
    }
}
