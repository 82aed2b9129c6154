package io.streamingetl.benchmark;

import io.streamingetl.harness.ServiceProcess;
import io.streamingetl.contract.EventTime;
import io.streamingetl.localstack.HttpProbe;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The Kafka clients and metric scrapes every benchmark run uses. */
final class BenchmarkClients {
    private static final Pattern HEAP = Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\"[^}]*} ([0-9.E]+)");

    static long heapMegabytes(ServiceProcess service) {
        Matcher m = HEAP.matcher(HttpProbe.get("http://127.0.0.1:" + service.httpPort() + "/metrics").body());
        double bytes = 0;
        while (m.find()) {
            bytes += Double.parseDouble(m.group(1));
        }
        return Math.round(bytes / (1024 * 1024));
    }

    private static final Pattern CPU = Pattern.compile("process_cpu_time_ns_total(?:\\{[^}]*})? ([0-9.E]+)");

    /** The CPU time the service's process has used so far, as its metrics say (micrometer's ProcessorMetrics). */
    static long cpuNanos(ServiceProcess service) {
        Matcher m = CPU.matcher(HttpProbe.get(service.metricsUrl()).body());
        if (!m.find()) {
            throw new IllegalStateException(service.name() + "'s metrics have no process_cpu_time_ns_total");
        }
        return (long) Double.parseDouble(m.group(1));
    }

    private BenchmarkClients() {
    }

    static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value, String ts) {
        producer.send(new ProducerRecord<>(topic, null, ts == null ? null : EventTime.toEpochMillis(ts),
                key.getBytes(StandardCharsets.UTF_8), value));
    }

    static KafkaProducer<byte[], byte[]> producer(String bootstrap, int lingerMs) {
        return producer(bootstrap, lingerMs, "");
    }

    /** @param clientId names the producer's network thread ("" for Kafka's own name) */
    static KafkaProducer<byte[], byte[]> producer(String bootstrap, int lingerMs, String clientId) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, lingerMs, ProducerConfig.CLIENT_ID_CONFIG, clientId),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String group) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    static String perSecond(int count, long startNanos) {
        return String.format("%,.0f records/s", count * 1e9 / (System.nanoTime() - startNanos));
    }
}
