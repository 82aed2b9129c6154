package io.streamingetl.benchmark;

import static io.streamingetl.benchmark.BenchmarkClients.consumer;
import static io.streamingetl.benchmark.BenchmarkClients.perSecond;
import static io.streamingetl.benchmark.BenchmarkClients.producer;

import io.streamingetl.avro.Order;
import io.streamingetl.contract.Topics;
import io.streamingetl.localstack.EmbeddedEngines;
import io.streamingetl.runtime.TopicAdmin;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * The raw Kafka ceiling on this machine: what a plain producer writes, and what a plain consumer-producer
 * pipes, batching as Kafka Streams' producers batch (linger.ms=100), and the CPU it takes per record. Every
 * stage's replay is a share of it.
 */
final class KafkaCeiling {
    /** The raw pipe's rate and its consumer's and producer's CPU per record: what the stages are held against. */
    record Ceiling(double recordsPerSecond, double cpuMicrosPerRecord) {
    }

    /** The start of the pipe's consumer groups and producer client ids: its clients' threads carry it in their names. */
    private static final String PIPE = "bench-pipe";

    private KafkaCeiling() {
    }

    /** Records per second a plain consumer-producer pipes from one topic to another, after its warm-up share: the median of the runs. */
    static Ceiling measure(EmbeddedEngines engines, int records, BenchmarkResults results) {
        String bootstrap = engines.kafkaBootstrapServers();
        TopicAdmin.ensureTopics(bootstrap, List.of("bench.raw.in", "bench.raw.out"), 3, (short) 1);
        byte[] value = Topics.ORDERS.serializeValue(new Order("o123456", "c1234", 1234.56, "usd", "2020-04-03T11:20:00"));
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, 5)) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>("bench.raw.in", ("o" + i).getBytes(StandardCharsets.UTF_8), value));
            }
            producer.flush();
        }
        results.add("raw Kafka produce (" + value.length + "-byte values, acks=all)", perSecond(records, start));
        // The denominator of every replay's share: the median of as many runs as each replay has.
        double[] rates = new double[StageReplays.RUNS];
        double[] cpu = new double[StageReplays.RUNS];
        double[] processCpu = new double[StageReplays.RUNS];
        for (int run = 0; run < StageReplays.RUNS; run++) {
            // The broker runs in this JVM: the ceiling's CPU is its clients' threads', as a service's is its own
            // process's; the whole process's is said beside it.
            Span span = new Span(KafkaCeiling::pipeCpuNanos);
            Span process = new Span(((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())::getProcessCpuTime);
            pipe(bootstrap, PIPE + "-" + run, records, span, process);
            rates[run] = span.warmRate(records);
            cpu[run] = span.cpuMicrosPerRecord(records);
            processCpu[run] = process.cpuMicrosPerRecord(records);
        }
        double ceiling = BenchmarkResults.median(rates);
        results.add("raw Kafka consume+produce (the ceiling), after the first 20%, median of " + StageReplays.RUNS + " runs",
                String.format("%,.0f records/s (runs: %s)", ceiling, BenchmarkResults.each("%,.0f", rates)));
        results.figure("ceiling_records_per_s", Math.round(ceiling));
        results.add("the ceiling's CPU per record after the first 20%: its consumer's and producer's threads (the benchmark's "
                + "whole JVM, with the Kafka broker it runs), median", String.format("%.1f µs (%.1f µs); runs: %s µs (%s µs)",
                BenchmarkResults.median(cpu), BenchmarkResults.median(processCpu), BenchmarkResults.each("%.1f", cpu),
                BenchmarkResults.each("%.1f", processCpu)));
        results.cpu("ceiling", BenchmarkResults.median(cpu));
        return new Ceiling(ceiling, BenchmarkResults.median(cpu));
    }

    /** Pipes the input topic once, as the consumer group {@code group}, batching as Kafka Streams' producers batch (linger.ms=100). */
    private static void pipe(String bootstrap, String group, int records, Span... spans) {
        int piped = 0;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, group);
             KafkaProducer<byte[], byte[]> producer = producer(bootstrap, 100, group)) {
            consumer.subscribe(List.of("bench.raw.in"));
            while (piped < records) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    producer.send(new ProducerRecord<>("bench.raw.out", r.key(), r.value()));
                    piped++;
                }
                consumer.commitAsync();
                for (Span span : spans) {
                    span.mark(piped, records);
                }
            }
            producer.flush();
            for (Span span : spans) {
                span.end();
            }
        }
    }

    /** CPU time of this thread (the pipe's loop, the consumer's fetches) and of the pipe's clients' own threads. */
    private static long pipeCpuNanos() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long nanos = threads.getCurrentThreadCpuTime();
        for (ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (thread != null && thread.getThreadName().contains(PIPE)) {
                nanos += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
            }
        }
        return nanos;
    }
}
