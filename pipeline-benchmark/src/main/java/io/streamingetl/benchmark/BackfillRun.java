package io.streamingetl.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamingetl.contract.EventTime;
import io.streamingetl.contract.PipelineService;
import io.streamingetl.contract.Topics;
import io.streamingetl.harness.CustomerTableProbe;
import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.harness.ServiceProcess;
import io.streamingetl.localstack.EmbeddedEngines;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.search.SearchClient;
import io.streamingetl.search.SearchEngineConfig;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/**
 * One backfill: the whole pipeline started (its five jars, as processes) on sources filled before ({@link BackfillData}),
 * capture streaming from the start ({@code SNAPSHOT_MODE=no_data}) and the history read by Debezium's incremental
 * snapshots, which interleave with streaming so the live load ({@link LiveLoad}, and the search client's probe pairs)
 * never waits for them: the customers first, then, once enrichment's customer table holds every customer, the orders
 * and the shipments (an order enriched before its customer arrived would keep empty customer fields). Timed from the
 * services' start until the index holds every backfilled document; meanwhile {@link BackfillMonitor} reads heaps, the
 * slot's WAL, the join's state and each stage's progress. Then the pipeline stops and the sink alone replays the
 * topic the backfill filled, against the engine's own bulk rate measured right after ({@link SearchEngineCeiling}).
 */
final class BackfillRun {
    private static final Duration BACKFILL_TIMEOUT = Duration.ofHours(3);
    private static final Duration POLL = Duration.ofSeconds(1);
    /** Backfilled orders whose documents are compared with the expected ones at the end, spread over all of them. */
    private static final int CHECKED = 2_000;
    private static final int PROBE_PAIRS_PER_SECOND = LiveLoad.PROBE_CHANGES_PER_SECOND / 2;

    private final EmbeddedEngines engines;
    private final Path root;
    private final Path workDir;
    private final BackfillData data;
    private final int liveChangesPerSecond;
    private final int partitions;
    private final int replayDocuments;
    private final Map<String, String> environment;
    private final BenchmarkResults results;

    BackfillRun(EmbeddedEngines engines, Path root, Path workDir, BackfillData data, int liveChangesPerSecond, int partitions,
                int replayDocuments, Map<String, String> environment, BenchmarkResults results) {
        this.engines = engines;
        this.root = root;
        this.workDir = workDir;
        this.data = data;
        this.liveChangesPerSecond = liveChangesPerSecond;
        this.partitions = partitions;
        this.replayDocuments = replayDocuments;
        this.environment = environment;
        this.results = results;
    }

    Map<String, Object> run() throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        Map<String, String> env = new LinkedHashMap<>(environment);
        env.putIfAbsent("SNAPSHOT_MODE", "no_data");
        long started = System.nanoTime();
        long cpuAtStart = ownCpuNanos();
        LocalPipeline pipeline = LocalPipeline.startOnSharedEngines(engines,
                new LocalPipeline.Options(root, workDir, 0, partitions, 1, env));
        try {
            long ready = System.nanoTime();
            results.add("backfill: the five services started and ready", seconds(ready - started) + " s");
            String index = pipeline.index();
            LiveLoad live = new LiveLoad(pipeline.logistics(), engines.postgres(), pipeline.database(), liveChangesPerSecond);
            VisibleLatencyProbe probe = new VisibleLatencyProbe(pipeline.mongo(), engines.searchUrl(), "live-c0",
                    PROBE_PAIRS_PER_SECOND, () -> EventTime.format(Instant.now()));
            live.start();
            long liveStart = System.nanoTime();
            BackfillMonitor monitor = new BackfillMonitor(pipeline, engines.postgres(),
                    workDir.resolve("state").resolve(PipelineService.SHIPMENT_JOIN.serviceName()), () -> backfilled(index),
                    () -> live.pairs() + probe.pairs(), started);
            monitor.start();
            Map<String, Span.Times> cpuAtReady = cpu(pipeline);

            Map<String, Object> customers = snapshot(pipeline, PipelineService.CUSTOMERS_CDC, "customers", started);
            awaitCustomerTable(pipeline);
            double customersInTable = seconds(System.nanoTime() - started);
            results.add("backfill: enrichment's customer table holds every customer", customersInTable + " s after the start");
            Map<String, Object> orders = snapshot(pipeline, PipelineService.LOGISTICS_CDC, "orders", started);
            Map<String, Object> shipments = snapshot(pipeline, PipelineService.LOGISTICS_CDC, "shipments", started);
            long logisticsCaptured = System.nanoTime();
            long complete = awaitIndexed(index, data.shippedOrders(), started);
            Map<String, Span.Times> cpuAtComplete = cpu(pipeline);
            long ownCpu = ownCpuNanos() - cpuAtStart;
            monitor.read();
            long livePairs = live.pairs();
            live.close();
            boolean allSeen = probe.finish(Duration.ofMinutes(1));
            probe.close();
            monitor.close();

            double total = seconds(complete - started);
            figures.put("documents", data.shippedOrders());
            figures.put("seconds_to_complete", total);
            figures.put("seconds_services_ready", seconds(ready - started));
            figures.put("seconds_customers_in_table", customersInTable);
            figures.put("snapshots", Map.of("customers", customers, "orders", orders, "shipments", shipments));
            double documentsPerSecond = data.shippedOrders() / Math.max(total, 1e-3);
            figures.put("documents_per_s", Math.round(documentsPerSecond));
            results.add("backfill: the index holds every backfilled document", String.format("%,d documents %.0f s after the start"
                    + " (%.1f min; the services ready after %.0f s, the customers in enrichment's table after %.0f s, the orders and"
                    + " shipments captured after %.0f s): %,.0f documents/s over the whole", data.shippedOrders(), total, total / 60,
                    seconds(ready - started), customersInTable, seconds(logisticsCaptured - started), documentsPerSecond));

            List<Long> seen = probe.millisOfPairsBetween(liveStart, complete);
            figures.put("live_visible_p50_ms", Latencies.percentile(seen, 0.5));
            figures.put("live_visible_p99_ms", Latencies.percentile(seen, 0.99));
            figures.put("live_visible_max_ms", seen.isEmpty() ? null : seen.get(seen.size() - 1));
            figures.put("live_pairs_seen", seen.size());
            figures.put("live_every_pair_seen", allSeen);
            figures.put("live_changes_per_s", liveChangesPerSecond);
            figures.put("live_pairs_written", livePairs);
            figures.put("live_customer_updates", live.customerUpdates());
            figures.put("live_load_most_behind_ms", live.mostBehindMillis());
            results.add("backfill: the live load meanwhile (" + liveChangesPerSecond + " changes/s: customer updates, orders and"
                    + " shipments, the probe's pairs), commit -> seen by a search client's realtime GET p50 / p99 / max",
                    String.format("%d / %d / %s ms over %,d probe pairs (%,d live pairs and %,d customer updates written; the load"
                                    + " fell behind its pace by %,d ms at most)", Latencies.percentile(seen, 0.5),
                            Latencies.percentile(seen, 0.99), figures.get("live_visible_max_ms"), seen.size(), livePairs,
                            live.customerUpdates(), live.mostBehindMillis()));
            figures.put("live_visible_by_minute", byMinute(probe, liveStart, complete));

            Map<String, Long> heaps = monitor.maxHeapMb();
            long maxHeap = heaps.values().stream().mapToLong(Long::longValue).max().orElse(0);
            figures.put("max_heap_mb", maxHeap);
            figures.put("heap_mb_by_service", heaps);
            figures.put("service_xmx_mb", 256);
            figures.put("benchmark_jvm_max_heap_mb", monitor.maxOwnHeapBytes() / (1024 * 1024));
            figures.put("benchmark_jvm_xmx_mb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
            results.add("backfill: the largest heap each service used (read every " + BackfillMonitor.EVERY_MS / 1000 + " s; each runs"
                    + " with -Xmx256m)", heaps + " MB; this JVM (the engines, the MongoDB stand-in's documents) "
                    + monitor.maxOwnHeapBytes() / (1024 * 1024) + " MB of " + Runtime.getRuntime().maxMemory() / (1024 * 1024) + " MB");

            long joinState = monitor.maxJoinStateBytes();
            long changelogs = changelogBytes(pipeline.names().group(PipelineService.SHIPMENT_JOIN));
            long enrichmentState = BackfillMonitor.sizeOf(workDir.resolve("state").resolve(PipelineService.ENRICHMENT.serviceName()));
            figures.put("join_state_bytes", joinState);
            figures.put("join_changelog_bytes", changelogs);
            figures.put("enrichment_state_bytes", enrichmentState);
            results.add("backfill: the join's state (its RocksDB directory, the most it held) / its changelogs on the broker;"
                    + " enrichment's state (the customer table)", String.format("%,.0f MB / %,.0f MB; %,.0f MB", joinState / 1e6,
                    changelogs / 1e6, enrichmentState / 1e6));
            figures.put("wal_retained_max_bytes", monitor.maxWalBytes());
            results.add("backfill: the most WAL the replication slot retained (read every " + BackfillMonitor.EVERY_MS / 1000 + " s)",
                    String.format("%,d bytes%s", monitor.maxWalBytes(), monitor.walError() == null ? "" : " (a reading failed: "
                            + monitor.walError() + ")"));

            Map<String, Object> stages = stages(pipeline, monitor.timeline(), complete - started);
            figures.put("stages", stages);
            Map<String, Object> cpu = cpuSeconds(cpuAtReady, cpuAtComplete);
            cpu.put("benchmark-jvm (Kafka, Elasticsearch, MongoDB stand-in, load, probes)", Math.round(ownCpu / 1e8) / 10.0);
            figures.put("cpu_seconds", cpu);
            results.add("backfill: CPU seconds each took from ready to complete (2 cores give " + Math.round(2 * seconds(complete - ready))
                    + " s), and µs per backfilled document", describeCpu(cpu));
            figures.put("timeline", timeline(monitor.timeline()));

            Map<String, Object> check = check(index, pipeline);
            figures.put("check", check);
            results.add("backfill: the index against the sources", String.valueOf(check));
            figures.put("load_average_max", monitor.maxLoadAverage());
        } finally {
            pipeline.close();
        }
        replayAgainstTheEngine(figures);
        figures.put("load_average_after", BackfillMonitor.loadAverage());
        return figures;
    }

    /** The backfilled documents the index holds (order ids starting with {@link BackfillData#ORDER_PREFIX}). */
    private long backfilled(String index) {
        HttpProbe.Answer answer = HttpProbe.postJson(engines.searchUrl() + "/" + index + "/_count",
                "{\"query\": {\"prefix\": {\"O_ORDER_ID\": \"" + BackfillData.ORDER_PREFIX + "\"}}}");
        if (answer.status() != 200) {
            throw new IllegalStateException("_count answered " + answer.status() + ": " + answer.body());
        }
        try {
            return SearchClient.JSON.readTree(answer.body()).path("count").asLong();
        } catch (IOException e) {
            throw new IllegalStateException("_count answered no JSON: " + answer.body(), e);
        }
    }

    /** Asks the CDC service for an incremental snapshot of {@code collection} and follows its /status until it ends. */
    private Map<String, Object> snapshot(LocalPipeline pipeline, PipelineService service, String collection, long started)
            throws Exception {
        ServiceProcess process = pipeline.service(service.serviceName());
        String base = "http://127.0.0.1:" + process.httpPort();
        long asked = System.nanoTime();
        HttpProbe.Answer answer = HttpProbe.post(base + "/snapshot?collection=" + collection,
                Map.of("Authorization", "Bearer " + pipeline.opsToken()));
        if (answer.status() != 202) {
            throw new IllegalStateException(service.serviceName() + " did not start the snapshot of " + collection + " ("
                    + answer.status() + "): " + answer.body());
        }
        JsonNode request = SearchClient.JSON.readTree(answer.body());
        String id = request.path("id").asText();
        // Debezium's rows scanned add up over the snapshots of one engine: the source's own count is this one's.
        long rows = request.path("rows_total").asLong();
        LocalPipeline.say("backfill: incremental snapshot of " + collection + " asked of " + service.serviceName());
        long deadline = asked + BACKFILL_TIMEOUT.toNanos();
        long lastSaid = 0;
        while (System.nanoTime() < deadline) {
            JsonNode snapshot = SearchClient.JSON.readTree(HttpProbe.get(base + "/status").body()).path("snapshot");
            String state = snapshot.path("state").asText();
            if (id.equals(snapshot.path("id").asText()) && List.of("completed", "aborted", "failed").contains(state)) {
                if (!state.equals("completed")) {
                    throw new IllegalStateException("the snapshot of " + collection + " " + state + ": " + snapshot);
                }
                double took = seconds(System.nanoTime() - asked);
                results.add("backfill: " + service.serviceName() + "'s incremental snapshot of " + collection, String.format(
                        "%,d rows in %.0f s = %,.0f rows/s, from %.0f s after the start", rows, took, rows / Math.max(took, 1e-3),
                        seconds(asked - started)));
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("rows", rows);
                figures.put("seconds", took);
                figures.put("began_s", seconds(asked - started));
                return figures;
            }
            if (System.nanoTime() - lastSaid > 30e9) {
                lastSaid = System.nanoTime();
                LocalPipeline.say(String.format("backfill: %s's snapshot of %s %s, %,d rows read; %s", service.serviceName(),
                        collection, state, snapshot.path("rows_scanned").asLong(), pipeline.progress()));
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IllegalStateException("the snapshot of " + collection + " did not end within " + BACKFILL_TIMEOUT);
    }

    /**
     * Until enrichment-service's customer table holds every customer: the topic holds them all, and the table knows a
     * customer of every thousandth, the last and the live load's.
     */
    private void awaitCustomerTable(LocalPipeline pipeline) throws InterruptedException {
        long all = data.customers() + BackfillData.LIVE_CUSTOMERS;
        if (!pipeline.awaitCount(pipeline.topic(Topics.CUSTOMERS), all, BACKFILL_TIMEOUT)) {
            throw new IllegalStateException("the customers topic did not reach " + all + " records");
        }
        List<String> sample = new ArrayList<>();
        for (long c = 0; c < data.customers(); c += Math.max(1, data.customers() / 1000)) {
            sample.add(BackfillData.customerId(c));
        }
        sample.add(BackfillData.customerId(data.customers() - 1));
        sample.add("live-c" + (BackfillData.LIVE_CUSTOMERS - 1));
        String enrichment = "http://127.0.0.1:" + pipeline.service(PipelineService.ENRICHMENT.serviceName()).httpPort();
        if (!new CustomerTableProbe(enrichment).awaitKnown(sample, BACKFILL_TIMEOUT)) {
            throw new IllegalStateException("enrichment's customer table did not hold every customer");
        }
    }

    /** Until the index holds {@code expected} backfilled documents; when it did. */
    private long awaitIndexed(String index, long expected, long started) throws InterruptedException {
        long deadline = System.nanoTime() + BACKFILL_TIMEOUT.toNanos();
        long lastSaid = 0;
        while (System.nanoTime() < deadline) {
            long indexed;
            try {
                indexed = backfilled(index);
            } catch (RuntimeException e) {
                indexed = -1;
            }
            if (indexed >= expected) {
                return System.nanoTime();
            }
            if (System.nanoTime() - lastSaid > 30e9) {
                lastSaid = System.nanoTime();
                LocalPipeline.say(String.format("backfill: %,d of %,d documents indexed after %.0f s", indexed, expected,
                        seconds(System.nanoTime() - started)));
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IllegalStateException("the index did not hold " + expected + " backfilled documents within " + BACKFILL_TIMEOUT);
    }

    private static Map<String, Span.Times> cpu(LocalPipeline pipeline) {
        Map<String, Span.Times> cpu = new LinkedHashMap<>();
        for (ServiceProcess service : pipeline.services()) {
            cpu.put(service.name(), BenchmarkClients.times(service));
        }
        return cpu;
    }

    private static long ownCpuNanos() {
        return ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class).getProcessCpuTime();
    }

    private static Map<String, Object> cpuSeconds(Map<String, Span.Times> from, Map<String, Span.Times> to) {
        Map<String, Object> seconds = new LinkedHashMap<>();
        from.forEach((service, times) -> seconds.put(service, Math.round((to.get(service).cpuNanos() - times.cpuNanos()) / 1e8) / 10.0));
        return seconds;
    }

    private String describeCpu(Map<String, Object> cpu) {
        List<String> parts = new ArrayList<>();
        cpu.forEach((name, seconds) -> parts.add(String.format("%s %.0f s (%.0f µs)", name, ((Number) seconds).doubleValue(),
                ((Number) seconds).doubleValue() * 1e6 / data.shippedOrders())));
        return String.join("; ", parts);
    }

    /**
     * When each stage had passed on the whole backfill: its topic's records less the live load's written by then (an
     * upper bound, as a live record not yet through the stage is subtracted too), from the monitor's readings.
     */
    private Map<String, Object> stages(LocalPipeline pipeline, List<BackfillMonitor.Sample> timeline, long completeNanos) {
        Map<String, Object> stages = new LinkedHashMap<>();
        Map<String, Long> targets = new LinkedHashMap<>();
        targets.put(pipeline.topic(Topics.CUSTOMERS), (long) data.customers());
        targets.put(pipeline.topic(Topics.ORDERS), (long) data.orders());
        targets.put(pipeline.topic(Topics.SHIPMENTS), data.shipments());
        targets.put(pipeline.topic(Topics.ENRICHED_ORDERS), (long) data.orders());
        targets.put(pipeline.topic(Topics.SHIPPED_ORDERS), data.shippedOrders());
        List<String> said = new ArrayList<>();
        targets.forEach((topic, target) -> {
            Double at = null;
            for (BackfillMonitor.Sample sample : timeline) {
                long live = topic.equals(pipeline.topic(Topics.CUSTOMERS)) ? BackfillData.LIVE_CUSTOMERS : sample.liveWritten();
                if (sample.topics().getOrDefault(topic, 0L) - live >= target) {
                    at = sample.seconds();
                    break;
                }
            }
            stages.put(topic + "_complete_s", at);
            said.add(topic + " " + (at == null ? "-" : Math.round(at) + " s"));
        });
        stages.put("index_complete_s", seconds(completeNanos));
        said.add("index " + Math.round(seconds(completeNanos)) + " s");
        results.add("backfill: each stage through with the whole backfill, after the start (readings every "
                + BackfillMonitor.EVERY_MS / 1000 + " s)", String.join(", ", said));
        return stages;
    }

    /** The monitor's readings, a row a reading, for the report's chart. */
    private static List<Map<String, Object>> timeline(List<BackfillMonitor.Sample> samples) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (BackfillMonitor.Sample sample : samples) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("s", sample.seconds());
            row.putAll(sample.topics());
            row.put("indexed", sample.indexed());
            rows.add(row);
        }
        return rows;
    }

    /** The probes' p99 per minute of the backfill: how freshness held throughout. */
    private static List<Long> byMinute(VisibleLatencyProbe probe, long from, long to) {
        List<Long> p99s = new ArrayList<>();
        for (long minute = from; minute < to; minute += TimeUnit.MINUTES.toNanos(1)) {
            p99s.add(Latencies.percentile(probe.millisOfPairsBetween(minute, Math.min(to, minute + TimeUnit.MINUTES.toNanos(1))), 0.99));
        }
        return p99s;
    }

    /**
     * The index against the sources: exactly as many backfilled documents as orders with a shipment, and every one of
     * {@link #CHECKED} orders spread over all of them as its source rows make it; dead letters on every topic.
     */
    private Map<String, Object> check(String index, LocalPipeline pipeline) throws IOException {
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("backfilled_documents", backfilled(index));
        check.put("expected_documents", data.shippedOrders());
        int step = Math.max(1, data.orders() / CHECKED);
        List<Integer> sample = new ArrayList<>();
        for (int o = 0; o < data.orders(); o += step) {
            sample.add(o);
        }
        StringBuilder ids = new StringBuilder("{\"ids\": [");
        sample.forEach(o -> ids.append('"').append(BackfillData.orderId(o)).append("\","));
        ids.setCharAt(ids.length() - 1, ']');
        JsonNode docs = SearchClient.JSON.readTree(HttpProbe.postJson(engines.searchUrl() + "/" + index + "/_mget", ids + "}").body())
                .path("docs");
        int checked = 0;
        List<String> different = new ArrayList<>();
        for (int i = 0; i < sample.size(); i++) {
            JsonNode doc = docs.get(i);
            Map<String, Object> expected = data.expected(sample.get(i));
            Map<String, Object> actual = doc != null && doc.path("found").asBoolean() ? SearchClient.asMap(doc.get("_source")) : null;
            checked++;
            if (expected == null ? actual != null : !expected.equals(actual)) {
                if (different.size() < 5) {
                    different.add(BackfillData.orderId(sample.get(i)) + ": expected " + expected + ", found " + actual);
                }
                check.merge("different", 1, (a, b) -> (Integer) a + (Integer) b);
            }
        }
        check.put("checked", checked);
        check.putIfAbsent("different", 0);
        if (!different.isEmpty()) {
            check.put("first_differences", different);
        }
        long deadLetters = 0;
        for (String topic : pipeline.topics()) {
            deadLetters += pipeline.count(Topics.deadLetterOf(topic));
        }
        check.put("dead_letters", deadLetters);
        return check;
    }

    /** The bytes of the application's changelog topics on the broker. */
    private long changelogBytes(String application) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", engines.kafkaBootstrapServers()))) {
            List<Integer> brokers = admin.describeCluster().nodes().get(1, TimeUnit.MINUTES).stream().map(node -> node.id()).toList();
            long bytes = 0;
            for (var dirs : admin.describeLogDirs(brokers).allDescriptions().get(1, TimeUnit.MINUTES).values()) {
                for (var dir : dirs.values()) {
                    for (var replica : dir.replicaInfos().entrySet()) {
                        String topic = replica.getKey().topic();
                        if (topic.startsWith(application + "-") && topic.endsWith("-changelog")) {
                            bytes += replica.getValue().size();
                        }
                    }
                }
            }
            return bytes;
        }
    }

    /**
     * The sink alone on the topic the backfill filled (the pipeline stopped): {@code replayDocuments} documents into a
     * scratch index, {@value StageReplays#RUNS} times, each a fresh consumer group; then the engine's own bulk rate
     * with the same documents. The median replay over the best bulk rate is {@code sink_to_engine_ratio}.
     */
    private void replayAgainstTheEngine(Map<String, Object> figures) throws Exception {
        int documents = (int) Math.min(replayDocuments, data.shippedOrders());
        ServiceReplay replay = new ServiceReplay(engines, root, workDir, partitions);
        List<ServiceReplay.Run> runs = new ArrayList<>();
        for (int run = 1; run <= StageReplays.RUNS; run++) {
            runs.add(replay.run(PipelineService.ES_SINK.serviceName(), Map.of("SHIPPED_ORDERS_TOPIC",
                    Topics.SHIPPED_ORDERS.name(), "ES_INDEX", "bench_backfill_replay_%d"), null, documents, documents, run, 1, results));
            try (SearchClient client = SearchClient.connect(SearchEngineConfig.of(engines.searchUrl()))) {
                client.send("DELETE", "/bench_backfill_replay_" + run + "_v1", null);
            }
        }
        double sink = BenchmarkResults.median(runs.stream().mapToDouble(ServiceReplay.Run::warmRate).toArray());
        double cpu = BenchmarkResults.median(runs.stream().mapToDouble(ServiceReplay.Run::cpuMicros).toArray());
        double engine = SearchEngineCeiling.measure(engines.searchUrl(), documents, o -> {
            Map<String, Object> document = data.expected(o);
            return document != null ? document : data.expected(o + 1);
        }, results);
        double ratio = BenchmarkResults.ratio(sink, engine);
        figures.put("sink_replay_documents_per_s", Math.round(sink));
        figures.put("sink_replay_cpu_us_per_document", Math.round(10 * cpu) / 10.0);
        figures.put("engine_best_documents_per_s", Math.round(engine));
        figures.put("sink_to_engine_ratio", ratio);
        figures.put("pipeline_to_engine_ratio", BenchmarkResults.ratio(((Number) figures.get("documents_per_s")).doubleValue(), engine));
        results.add("backfill: es-sink-service alone on the backfilled topic (" + documents + " documents, median of " + StageReplays.RUNS
                + " runs) against the engine's best bulk rate", String.format("%,.0f / %,.0f documents/s = %.0f%% (runs %s; %.1f µs CPU"
                + " per document); the whole pipeline's backfill made %.0f%% of it", sink, engine, 100 * ratio,
                BenchmarkResults.each("%,.0f", runs.stream().mapToDouble(ServiceReplay.Run::warmRate).toArray()), cpu,
                100 * ((Number) figures.get("pipeline_to_engine_ratio")).doubleValue()));
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e8) / 10.0;
    }
}
