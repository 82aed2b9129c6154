package io.streamingetl.runtime;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.metrics.KafkaMetric;
import org.apache.kafka.streams.processor.internals.DefaultKafkaClientSupplier;

/**
 * Kafka Streams' clients, its producers refusing a record larger than their {@code max.request.size} before the
 * Kafka producer sees it. The Kafka producer refuses it too, but under exactly-once it then fails the whole
 * transaction (every later send of the task fails with it), so the dead letter Streams' handler asks for would be
 * aborted with it and the record read again for ever; refused here, the transaction stays sound, the input becomes
 * a dead letter in it and the next record flows.
 */
final class SizeCheckedProducers extends DefaultKafkaClientSupplier {
    /** Above key, value and headers: a record batch's and a record's own framing, rounded up. */
    static final int FRAMING_BYTES = 256;

    @Override
    public Producer<byte[], byte[]> getProducer(Map<String, Object> config) {
        Object limit = config.getOrDefault(ProducerConfig.MAX_REQUEST_SIZE_CONFIG,
                ProducerConfig.configDef().defaultValues().get(ProducerConfig.MAX_REQUEST_SIZE_CONFIG));
        return new Checked(super.getProducer(config), Integer.parseInt(String.valueOf(limit)));
    }

    /** The size a record takes in a request, near enough and never below it. */
    static int sizeOf(ProducerRecord<byte[], byte[]> record) {
        int size = FRAMING_BYTES + (record.key() == null ? 0 : record.key().length)
                + (record.value() == null ? 0 : record.value().length);
        for (Header header : record.headers()) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length) + 8;
        }
        return size;
    }

    /** A producer that refuses a record over {@code maxRequestSize} itself, as the Kafka producer would, but harmlessly. */
    private record Checked(Producer<byte[], byte[]> producer, int maxRequestSize) implements Producer<byte[], byte[]> {
        @Override
        public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record) {
            return send(record, null);
        }

        @Override
        public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
            int size = sizeOf(record);
            if (size <= maxRequestSize) {
                return producer.send(record, callback);
            }
            RecordTooLargeException tooLarge = new RecordTooLargeException("The record is about " + size + " bytes, larger"
                    + " than " + maxRequestSize + ", the producer's max.request.size; refused before it was sent");
            if (callback != null) {
                callback.onCompletion(null, tooLarge);
            }
            return CompletableFuture.failedFuture(tooLarge);
        }

        public void initTransactions() {
            producer.initTransactions();
        }

        public void beginTransaction() {
            producer.beginTransaction();
        }

        public void sendOffsetsToTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
            producer.sendOffsetsToTransaction(offsets, group);
        }

        public void commitTransaction() {
            producer.commitTransaction();
        }

        public void abortTransaction() {
            producer.abortTransaction();
        }

        public void registerMetricForSubscription(KafkaMetric metric) {
            producer.registerMetricForSubscription(metric);
        }

        public void unregisterMetricFromSubscription(KafkaMetric metric) {
            producer.unregisterMetricFromSubscription(metric);
        }

        public void flush() {
            producer.flush();
        }

        public List<PartitionInfo> partitionsFor(String topic) {
            return producer.partitionsFor(topic);
        }

        public Map<MetricName, ? extends Metric> metrics() {
            return producer.metrics();
        }

        public Uuid clientInstanceId(Duration timeout) {
            return producer.clientInstanceId(timeout);
        }

        public void close() {
            producer.close();
        }

        public void close(Duration timeout) {
            producer.close(timeout);
        }
    }
}
