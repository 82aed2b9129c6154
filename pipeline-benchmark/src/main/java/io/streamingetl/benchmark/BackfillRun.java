package io.streamingetl.benchmark;

import io.streamingetl.contract.EventTime;
import io.streamingetl.contract.PipelineService;
import io.streamingetl.contract.Topics;
import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.harness.ServiceProcess;
import io.streamingetl.localstack.EmbeddedEngines;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

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
        BackfillWaits waits = new BackfillWaits(engines.searchUrl(), data, results);
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
                    workDir.resolve("state").resolve(PipelineService.SHIPMENT_JOIN.serviceName()), () -> waits.backfilled(index),
                    () -> live.pairs() + probe.pairs(), started);
            monitor.start();
            Map<String, Span.Times> cpuAtReady = cpu(pipeline);

            Map<String, Object> customers = waits.snapshot(pipeline, PipelineService.CUSTOMERS_CDC, "customers", started);
            waits.awaitCustomerTable(pipeline);
            double customersInTable = seconds(System.nanoTime() - started);
            results.add("backfill: enrichment's customer table holds every customer", customersInTable + " s after the start");
            Map<String, Object> orders = waits.snapshot(pipeline, PipelineService.LOGISTICS_CDC, "orders", started);
            Map<String, Object> shipments = waits.snapshot(pipeline, PipelineService.LOGISTICS_CDC, "shipments", started);
            long logisticsCaptured = System.nanoTime();
            long complete = waits.awaitIndexed(index, data.shippedOrders(), started);
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
            long changelogs = StateSizes.changelogs(engines.kafkaBootstrapServers(), pipeline.names().group(PipelineService.SHIPMENT_JOIN));
            long enrichmentState = StateSizes.onDisk(workDir.resolve("state").resolve(PipelineService.ENRICHMENT.serviceName()));
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

            Map<String, Object> check = new BackfillCheck(engines.searchUrl(), data).check(index, pipeline, waits.backfilled(index));
            figures.put("check", check);
            results.add("backfill: the index against the sources", String.valueOf(check));
            figures.put("load_average_max", monitor.maxLoadAverage());
        } finally {
            pipeline.close();
        }
        new SinkAgainstTheEngine(engines, root, workDir, partitions, data, results).replay(replayDocuments, figures);
        figures.put("load_average_after", BackfillMonitor.loadAverage());
        return figures;
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

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e8) / 10.0;
    }
}
