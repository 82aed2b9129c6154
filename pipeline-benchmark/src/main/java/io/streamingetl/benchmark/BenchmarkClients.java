package io.streamingetl.benchmark;

import io.streamingetl.contract.EventTime;
import io.streamingetl.harness.ServiceProcess;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.runtime.PrometheusText;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The Kafka clients and metric scrapes every benchmark run uses. */
final class BenchmarkClients {
    static long heapMegabytes(ServiceProcess service) {
        double bytes = PrometheusText.sum(HttpProbe.get(service.metricsUrl()).body(), "jvm_memory_used_bytes",
                Map.of("area", "heap"));
        return Math.round(bytes / (1024 * 1024));
    }

    /**
     * The CPU time the service's process has used so far and the time its JIT spent compiling, as its metrics say
     * (Micrometer's ProcessorMetrics and jvm.compilation.time): one scrape, rendered on the service's own CPU.
     */
    static Span.Times times(ServiceProcess service) {
        String scrape = HttpProbe.get(service.metricsUrl()).body();
        long cpu = (long) PrometheusText.max(scrape, "process_cpu_time_ns_total", Map.of())
                .orElseThrow(() -> new IllegalStateException(service.name() + "'s metrics have no process_cpu_time_ns_total"));
        return new Span.Times(cpu, 1_000_000L * (long) PrometheusText.max(scrape, "jvm_compilation_time_ms_total", Map.of()).orElse(0));
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
