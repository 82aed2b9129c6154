package io.streamingetl.benchmark;

import static io.streamingetl.benchmark.BenchmarkClients.heapMegabytes;
import static org.awaitility.Awaitility.await;

import io.streamingetl.contract.PipelineService;
import io.streamingetl.harness.LoadGenerator;
import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.harness.ServiceProcess;
import io.streamingetl.localstack.Directories;
import io.streamingetl.localstack.EmbeddedEngines;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.localstack.KafkaEngine;
import io.streamingetl.localstack.SearchEngineKind;
import io.streamingetl.runtime.DeliveryProfile;
import io.streamingetl.runtime.PrometheusText;
import io.streamingetl.search.SearchClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Whole-pipeline latency at a steady rate: the demo's pipeline on its own engines, a load of changes written to
 * the databases at the asked rate, and the time from each change's commit to each topic it reaches, and to its
 * document acknowledged by Elasticsearch as the sink measures it in production (its freshness histogram,
 * read before, after the warm-up and at the end: no per-document probe whose cost grows with the backlog).
 */
final class LatencyRun {
    /** The first seconds of the run, left out of its figures: the JIT is still compiling everything. */
    private static final Duration WARM_UP = Duration.ofSeconds(10);

    /** The search client's own pairs, beside the load: few enough to change nothing of it. */
    private static final int PROBE_PAIRS_PER_SECOND = 5;
    private static final Duration STARTUP = Duration.ofSeconds(5);

    /** How long the pipeline may take to catch up after a step before the step counts as beyond its capacity. */
    private static final Duration CATCH_UP = Duration.ofMinutes(2);

    private final Path root;
    private final Path workDir;
    private final List<Integer> rates;
    private final int seconds;
    private final SearchEngineKind searchEngine;
    private final DeliveryProfile profile;
    private final BenchmarkResults results;

    /**
     * @param rates the steps of load, in changes per second, each held {@code seconds} after a warm-up at the first;
     *              after the last, steps half again as high ({@link #nextStep}) while the step before held
     */
    LatencyRun(Path root, Path workDir, List<Integer> rates, int seconds, SearchEngineKind searchEngine,
               DeliveryProfile profile, BenchmarkResults results) {
        this.searchEngine = searchEngine;
        this.profile = profile;
        this.root = root;
        this.workDir = workDir;
        this.rates = rates;
        this.seconds = seconds;
        this.results = results;
    }

    /**
     * Loads changes into the whole demo pipeline (on engines of its own, started afresh each run), a warm-up at the first rate and then each step, and times each
     * hop of each change; after each step it lets the pipeline catch up, and the step's figures are those of the
     * documents acknowledged meanwhile. The capacity is the highest step held with p99 within 1 s: the steps go on
     * past the asked ones until one is not held (p99 over 1 s, not caught up, or the load generator short of it).
     */
    LatencyFigures run() throws Exception {
        int warmUpChanges = rates.get(0) * (int) WARM_UP.toSeconds();
        int orders = (warmUpChanges + rates.stream().mapToInt(r -> r * seconds).sum()) / 2 + 1;
        // Event time keeps pace with wall-clock time, as captured changes do: the join processes both inputs
        // in timestamp order, so a shipment stamped days ahead would wait for days of orders before it.
        int fastest = rates.stream().mapToInt(Integer::intValue).max().orElseThrow();
        Duration spacing = Duration.ofNanos((long) (2.1e9 / fastest));
        LoadGenerator load = new LoadGenerator(orders, spacing, spacing.multipliedBy(5), 7);
        Path dir = workDir.resolve("latency");
        Directories.deleteRecursively(dir);
        LatencyFigures figures;
        try (EmbeddedEngines engines = new EmbeddedEngines(EmbeddedEngines.Ports.FREE, dir.resolve("data"),
                KafkaEngine.Security.PLAINTEXT, searchEngine)) {
            LocalPipeline demo = LocalPipeline.start(engines, new LocalPipeline.Options(root, dir, 0, 3, 1,
                    Map.of(DeliveryProfile.SETTING, profile.toString())));
            try {
                load.writeCustomers(engines.postgres(), LocalPipeline.DATABASE, LocalPipeline.DB_USER, LocalPipeline.DB_PASSWORD);
                demo.awaitCustomersInTable(load.customerIds());
                List<LoadGenerator.Change> changes = load.changes();
                HopTimes hops = new HopTimes(engines.kafkaBootstrapServers(), load.expectedDocuments());
                ServiceProcess sink = demo.service(PipelineService.ES_SINK.serviceName());
                SinkFreshness freshness = new SinkFreshness(sink);
                SortedMap<Double, Double> atStart = freshness.buckets();
                AtomicReference<String> loadTime = new AtomicReference<>((String) changes.get(0).document().get("ts"));
                VisibleLatencyProbe visible = new VisibleLatencyProbe(demo.mongo(), engines.searchUrl(), load.customerIds().get(0),
                        PROBE_PAIRS_PER_SECOND, loadTime::get);
                long start = System.nanoTime();
                LongConsumer written = i -> {
                    LoadGenerator.Change change = changes.get((int) i);
                    loadTime.set((String) change.document().get("ts"));
                    hops.written(change);
                };
                int next = Math.min(warmUpChanges, changes.size());
                load.writeLogistics(demo.mongo(), 0, next, rates.get(0), written);
                boolean steady = caughtUp(sink, hops);
                long warm = System.nanoTime();
                SortedMap<Double, Double> warmBuckets = freshness.buckets();
                Map<String, CommitCosts> warmCommits = commitCosts(demo);
                SortedMap<Double, Double> before = warmBuckets;
                List<Map<String, Object>> steps = new ArrayList<>();
                Integer capacity = null;
                List<Integer> stepRates = new ArrayList<>(rates);
                for (int step = 0; step < stepRates.size() && steady; step++) {
                    int rate = stepRates.get(step);
                    while (changes.size() < next + rate * seconds) {
                        load.addOrders(rate * seconds / 2 + 1);
                    }
                    int from = next;
                    next += rate * seconds;
                    long stepStart = System.nanoTime();
                    double achieved = load.writeLogistics(demo.mongo(), from, next, rate, written);
                    long stepEnd = System.nanoTime();
                    steady = caughtUp(sink, hops);
                    SortedMap<Double, Double> after = freshness.buckets();
                    double p50 = 1000 * PrometheusText.quantile(0.5, before, after);
                    double p99 = 1000 * PrometheusText.quantile(0.99, before, after);
                    before = after;
                    List<Long> seen = visible.millisOfPairsBetween(stepStart, System.nanoTime());
                    steps.add(new LinkedHashMap<>(Map.of("asked", rate, "achieved", Math.round(achieved), "p50_ms", Math.round(p50),
                            "p99_ms", Math.round(p99), "steady", steady, "visible_p50_ms", Latencies.percentile(seen, 0.5),
                            "visible_p99_ms", Latencies.percentile(seen, 0.99))));
                    Long[] joinHops = hops.joinHops(String.format("step %,d changes/s", rate), stepStart, stepEnd, results);
                    steps.get(steps.size() - 1).put("repartition_hop_p99_ms", joinHops[0]);
                    steps.get(steps.size() - 1).put("join_hop_p99_ms", joinHops[1]);
                    results.add(String.format("step %,d changes/s: commit -> seen by a search client's realtime GET p50 / p99", rate),
                            String.format("%d / %d ms over %d pairs", Latencies.percentile(seen, 0.5), Latencies.percentile(seen, 0.99),
                                    seen.size()));
                    boolean held = steady && p99 <= 1000 && achieved >= 0.9 * rate;
                    results.add(String.format("step %,d changes/s for %d s: achieved / commit -> acknowledged p50 / p99", rate, seconds),
                            String.format("%,.0f changes/s / %.0f / %.0f ms%s", achieved, p50, p99, !steady
                                    ? " (not caught up within " + CATCH_UP.toMinutes() + " min: beyond capacity)"
                                    : achieved < 0.9 * rate ? " (the load generator fell short: MongoDB took no more)" : ""));
                    if (held) {
                        capacity = rate;
                        if (step == stepRates.size() - 1) {
                            stepRates.add(nextStep(rate));
                        }
                    }
                }
                results.add("capacity: the highest step held (90% of its rate) with p99 within 1 s; steps go on by half again until one is not",
                        capacity == null ? "none of the steps" : String.format("%,d changes/s", capacity));
                long loadEnd = System.nanoTime();
                Map<String, Object> commitMillis = new LinkedHashMap<>();
                commitCosts(demo).forEach((service, costs) -> {
                    CommitCosts overSteps = costs.since(warmCommits.get(service));
                    results.add(service + "'s commits over the steps (under exactly-once each a transaction, its records "
                            + "readable downstream only once it ends)", overSteps.describe());
                    double millis = overSteps.millisEach();
                    commitMillis.put(service, Double.isNaN(millis) ? null : Math.round(10 * millis) / 10.0);
                });
                results.figure("commit_ms", commitMillis);
                visible.close();
                List<Long> startUp = visible.millisOfPairsBetween(start, start + STARTUP.toNanos());
                results.add("start-up, the first 5 s of load: commit -> seen by a search client p50 / p99",
                        String.format("%d / %d ms over %d pairs", Latencies.percentile(startUp, 0.5), Latencies.percentile(startUp, 0.99),
                                startUp.size()));
                Map<String, Object> nearest = steps.stream()
                        .min(Comparator.comparingInt(step -> Math.abs((Integer) step.get("asked") - 1000))).orElse(Map.of());
                figures = new LatencyFigures((Long) nearest.getOrDefault("visible_p50_ms", -1L),
                        (Long) nearest.getOrDefault("visible_p99_ms", -1L), (Integer) nearest.getOrDefault("asked", -1),
                        Latencies.percentile(startUp, 0.99), capacity == null ? 0 : capacity);
                // The rest at once, unpaced, so the index can be compared with every expected document.
                load.writeLogistics(demo.mongo(), next, changes.size(), 0, written);
                long expected = load.expectedDocuments().size() + visible.pairs();
                AtomicLong indexed = new AtomicLong();
                try {
                    await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).until(() -> {
                        HttpProbe.get(engines.searchUrl() + "/shipped_orders/_refresh");
                        indexed.set(SearchClient.JSON.readTree(HttpProbe.get(engines.searchUrl() + "/shipped_orders/_count")
                                .body()).path("count").asLong());
                        return indexed.get() == expected;
                    });
                } catch (ConditionTimeoutException e) {
                    // said below: the documents in the index, of those expected
                }
                hops.report("start-up, the first " + STARTUP.toSeconds() + " s of load", start, start + STARTUP.toNanos(), results);
                hops.report("steady, over the steps", warm, loadEnd, results);
                hops.close();
                results.figure("steps", steps);
                results.add("load during the latency run", String.format("%,d changes in %.0f s, the first %,d at %d changes/s and "
                        + "until the pipeline caught up a warm-up (%.1f s; caught up: every shipment older than 1 s on "
                        + "shipped_orders, nothing older than 1 s held by the sink)", next, (loadEnd - start) / 1e9, warmUpChanges,
                        rates.get(0), (warm - start) / 1e9));
                freshness.report(atStart, warmBuckets, before, results);
                results.add("documents in the index after the latency run", indexed.get() + " of " + expected + " expected");
                for (String service : LocalPipeline.SERVICES) {
                    long heap = heapMegabytes(demo.service(service));
                    results.heap(heap);
                    results.add(service + " heap after the latency run", heap + " MB used of 256 MB");
                }
            } finally {
                demo.close();
            }
        }
        return figures;
    }

    /** The step after one held beyond the asked ones: half as much again, in hundreds. */
    static int nextStep(int rate) {
        return (int) Math.max(rate + 100, Math.round(rate * 1.5 / 100) * 100);
    }

    /**
     * Waits (up to {@link #CATCH_UP}; false when it did not) until the pipeline has caught up: every shipment committed more than a second
     * ago is on {@code shipped_orders} and the sink holds no change older than a second. A backlog built while
     * the JIT compiles and the services take their first partitions drains before the steady state is
     * measured, or its documents, acknowledged late, would count as steady-state ones.
     */
    private static boolean caughtUp(ServiceProcess sink, HopTimes hops) {
        long deadline = System.nanoTime() + CATCH_UP.toNanos();
        while (System.nanoTime() < deadline) {
            if (hops.joinedAllShippedBefore(System.nanoTime() - Duration.ofSeconds(1).toNanos()) && PrometheusText.max(HttpProbe.get(sink.metricsUrl()).body(),
                    "pipeline_index_oldest_unindexed_age_seconds", Map.of()).orElse(0) <= 1.0) {
                return true;
            }
            LockSupport.parkNanos(Duration.ofMillis(200).toNanos());
        }
        return false;
    }

    /** What each Kafka Streams service's commits have cost so far. */
    private static Map<String, CommitCosts> commitCosts(LocalPipeline demo) {
        Map<String, CommitCosts> costs = new LinkedHashMap<>();
        for (PipelineService service : List.of(PipelineService.ENRICHMENT, PipelineService.SHIPMENT_JOIN)) {
            costs.put(service.serviceName(), CommitCosts.of(HttpProbe.get(demo.service(service.serviceName()).metricsUrl()).body()));
        }
        return costs;
    }
}
