package io.streamingetl.benchmark;

import io.streamingetl.contract.PipelineService;
import io.streamingetl.contract.Topics;
import io.streamingetl.localstack.EmbeddedEngines;
import io.streamingetl.search.SearchClient;
import io.streamingetl.search.SearchEngineConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** After a backfill: es-sink-service alone on the topic it filled, against the search engine's own best bulk rate. */
final class SinkAgainstTheEngine {
    private final EmbeddedEngines engines;
    private final Path root;
    private final Path workDir;
    private final int partitions;
    private final BackfillData data;
    private final BenchmarkResults results;

    SinkAgainstTheEngine(EmbeddedEngines engines, Path root, Path workDir, int partitions, BackfillData data,
                         BenchmarkResults results) {
        this.engines = engines;
        this.root = root;
        this.workDir = workDir;
        this.partitions = partitions;
        this.data = data;
        this.results = results;
    }

    /**
     * The sink alone on the topic the backfill filled (the pipeline stopped): {@code replayDocuments} documents into a
     * scratch index, {@value StageReplays#RUNS} times, each a fresh consumer group; then the engine's own bulk rate
     * with the same documents. The median replay over the best bulk rate is {@code sink_to_engine_ratio}.
     */
    void replay(int replayDocuments, Map<String, Object> figures) throws Exception {
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
}
