package io.streamingetl.benchmark;

import static io.streamingetl.benchmark.BenchmarkClients.consumer;
import static io.streamingetl.benchmark.BenchmarkClients.heapMegabytes;

import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.harness.ServiceProcess;
import io.streamingetl.localstack.EmbeddedEngines;
import io.streamingetl.localstack.FreePorts;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.runtime.PrometheusText;
import io.streamingetl.runtime.SchemaRegistries;
import io.streamingetl.runtime.TopicAdmin;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.KafkaConsumer;

/**
 * One run of a service's real jar, as a process (or several in one group), on pre-filled input: when its output
 * began, passed the warm-up share and was complete, and the CPU it took in between.
 */
final class ServiceReplay {
    private static final Duration STAGE_TIMEOUT = Duration.ofMinutes(10);
    /**
     * Between two readings of the sink's count: each is a whole Prometheus scrape, which the sink renders on its
     * own CPU; read every 20 ms they took 38% of the sink's CPU samples in a profile of its replay, more than its
     * own loop. A quarter second is a few percent of a replay of 50,000 documents (6-20 s here).
     */
    private static final Duration SINK_READING = Duration.ofMillis(250);

    /** One run's rates (input records per second) and CPU per input record after the warm-up share, and its heap at the end. */
    record Run(double warmRate, double overallRate, double cpuMicros, double compilingMicros, double steadyCpuMicros,
               double steadyCompilingMicros, double heapMegabytes) {
    }

    private final EmbeddedEngines engines;
    private final Path root;
    private final Path workDir;
    private final int partitions;

    /** @param partitions of the output topic each run creates, as of its inputs */
    ServiceReplay(EmbeddedEngines engines, Path root, Path workDir, int partitions) {
        this.engines = engines;
        this.root = root;
        this.workDir = workDir;
        this.partitions = partitions;
    }

    /**
     * Starts {@code instances} of the service's jar on pre-filled input and times its output from the first record
     * to the last, and from the {@link Span#WARM_UP_SHARE} to the last, reading their processes' CPU time at those
     * two; the rate is of input records, so the join's two inputs count twice as in the ceiling. Names with
     * {@code %d} in {@code settings} take the run's number, so each run is a fresh application (offsets, state,
     * replication slot) with an output of its own: the topic {@code outputSetting} names (null: the sink's index).
     */
    Run run(String service, Map<String, String> settings, String outputSetting, int outputs, int inputs, int run,
            int instances, BenchmarkResults results) throws Exception {
        Map<String, String> env = new LinkedHashMap<>();
        settings.forEach((key, value) -> env.put(key, String.format(value, run)));
        String outputTopic = outputSetting == null ? null : env.get(outputSetting);
        String application = "bench-" + service + "-" + run + (instances == 1 ? "" : "-x" + instances);
        env.putAll(connections(application));
        if (outputTopic != null) {
            TopicAdmin.ensureTopics(engines.kafkaBootstrapServers(), List.of(outputTopic), partitions, (short) 1);
        }
        List<ServiceProcess> processes = new ArrayList<>();
        try {
            for (int i = 1; i <= instances; i++) {
                Map<String, String> instance = new LinkedHashMap<>(env);
                instance.put("STATE_DIR", workDir.resolve("state-" + application + "-" + i).toString());
                ServiceProcess process = new ServiceProcess(application + (instances == 1 ? "" : "-" + i),
                        root.resolve(service).resolve("target").resolve(service + ".jar"), instance, FreePorts.next(),
                        workDir.resolve("logs"));
                processes.add(process);
                process.start();
            }
            Span span = outputTopic == null ? indexedSpan(processes, outputs) : topicSpan(processes, outputTopic, outputs);
            String profiles = System.getProperty(ServiceProcess.PROFILES_PROPERTY);
            if (profiles != null) {
                for (ServiceProcess process : processes) {
                    ServiceProfiles.writeWindow(Path.of(profiles), process.name(), span.measuredWindow());
                }
            }
            long heap = 0;
            for (ServiceProcess process : processes) {
                heap = Math.max(heap, heapMegabytes(process));
            }
            results.heap(heap);
            return new Run(span.warmRate(inputs), span.overallRate(inputs), span.cpuMicrosPerRecord(inputs),
                    span.compilingMicrosPerRecord(inputs), span.steadyCpuMicrosPerRecord(inputs),
                    span.steadyCompilingMicrosPerRecord(inputs), heap);
        } finally {
            for (ServiceProcess process : processes) {
                process.stop();
            }
        }
    }

    /** Where every service finds the engines, and the names that keep this application's offsets and state apart. */
    private Map<String, String> connections(String application) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", engines.kafkaBootstrapServers());
        env.put(SchemaRegistries.SCHEMA_REGISTRY_URL, engines.schemaRegistryUrl());
        env.put("APPLICATION_ID", application);
        env.put("GROUP_ID", application);
        env.put("OFFSETS_TOPIC", application + "-offsets");
        env.put("TOPIC_PARTITIONS", Integer.toString(partitions));
        env.put("POSTGRES_HOST", "127.0.0.1");
        env.put("POSTGRES_PORT", Integer.toString(engines.postgres().port()));
        env.put("POSTGRES_USER", LocalPipeline.CAPTURE_USER);
        env.put("POSTGRES_PASSWORD", LocalPipeline.CAPTURE_PASSWORD);
        env.put("MONGO_URI", engines.mongoConnectionString());
        env.put("ES_URL", engines.searchUrl());
        env.put("TOPIC_PREFIX", application);
        return env;
    }

    /** What all of {@code processes} used so far, one scrape each. */
    private static Span.Times timesOf(List<ServiceProcess> processes) {
        return processes.stream().map(BenchmarkClients::times).reduce(Span.Times.NONE, Span.Times::plus);
    }

    /** When the first, the warm-up share and the {@code count}-th record were seen on {@code topic}. */
    private Span topicSpan(List<ServiceProcess> services, String topic, int count) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(engines.kafkaBootstrapServers(), "bench-count-" + topic)) {
            consumer.subscribe(List.of(topic));
            Span span = new Span(() -> timesOf(services));
            int seen = 0;
            long deadline = System.nanoTime() + STAGE_TIMEOUT.toNanos();
            while (seen < count) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(topic + " reached only " + seen + " of " + count + " records");
                }
                seen += consumer.poll(Duration.ofMillis(50)).count();
                span.mark(seen, count);
                failIfExited(services);
            }
            return span;
        }
    }

    /** The documents indexed by all of {@code sinks} (several instances share the group's documents). */
    private static Span indexedSpan(List<ServiceProcess> sinks, int count) throws InterruptedException {
        Span span = new Span(() -> timesOf(sinks));
        long deadline = System.nanoTime() + STAGE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            long indexed = 0;
            for (ServiceProcess sink : sinks) {
                // Documents written, and writes found older than their document: each is an input record done.
                String scrape = HttpProbe.get(sink.metricsUrl()).body();
                indexed += (long) (PrometheusText.sum(scrape, "pipeline_es_documents_indexed_total")
                        + PrometheusText.sum(scrape, "pipeline_es_stale_writes_total"));
            }
            span.mark(indexed, count);
            if (span.complete()) {
                return span;
            }
            failIfExited(sinks);
            Thread.sleep(SINK_READING.toMillis());
        }
        throw new IllegalStateException("es-sink-service did not index " + count + " documents");
    }

    /** A replayed service that stopped (a setting refused, a crash) ends the replay at once, with its log's tail. */
    private static void failIfExited(List<ServiceProcess> services) {
        for (ServiceProcess service : services) {
            if (!service.isAlive()) {
                throw new IllegalStateException(service.name() + " exited during its replay; its log (" + service.log()
                        + ") ends:\n" + service.tail());
            }
        }
    }
}
