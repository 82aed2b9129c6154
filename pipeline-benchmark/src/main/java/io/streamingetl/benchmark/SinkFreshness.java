package io.streamingetl.benchmark;

import io.streamingetl.harness.ServiceProcess;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.runtime.PrometheusText;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A latency run as es-sink-service measures it in production: its freshness histogram (change commit ->
 * document acknowledged by the search engine), read at marks of the run, and its bulk requests.
 */
final class SinkFreshness {
    private static final String HISTOGRAM = "pipeline_index_freshness_seconds";

    private final ServiceProcess sink;

    SinkFreshness(ServiceProcess sink) {
        this.sink = sink;
    }

    /** The histogram as it stands: counts by bucket, all sources together. */
    SortedMap<Double, Double> buckets() {
        return PrometheusText.buckets(HttpProbe.get(sink.metricsUrl()).body(), HISTOGRAM);
    }

    /**
     * The run's lines: over the steps ({@code warm} to {@code stepsEnd}), from the start including the warm-up, per
     * source, and the sink's bulk requests, read now.
     */
    void report(SortedMap<Double, Double> atStart, SortedMap<Double, Double> warm, SortedMap<Double, Double> stepsEnd,
                BenchmarkResults results) {
        String scrape = HttpProbe.get(sink.metricsUrl()).body();
        results.add("change commit -> document acknowledged by Elasticsearch (es-sink-service's freshness histogram), "
                + "p50 / p99 over the steps", figures(warm, stepsEnd));
        results.add("  the same including the warm-up (the JIT compiling engines and services)",
                figures(atStart, PrometheusText.buckets(scrape, HISTOGRAM)));
        for (String source : List.of("logistics.orders", "logistics.shipments")) {
            results.add("  of the documents a change of " + source + " wrote, over the whole run",
                    figures(new TreeMap<>(), PrometheusText.buckets(scrape, HISTOGRAM, Map.of("source", source))));
        }
        results.add("  es-sink-service's bulk requests to Elasticsearch, p50 / p99 (last 2 minutes) / max",
                String.format("%.0f / %.0f / %.0f ms", 1000 * PrometheusText.max(scrape, "pipeline_es_bulk_latency_seconds",
                        Map.of("quantile", "0.5")).orElse(Double.NaN), 1000 * PrometheusText.max(scrape,
                        "pipeline_es_bulk_latency_seconds", Map.of("quantile", "0.99")).orElse(Double.NaN),
                        1000 * PrometheusText.max(scrape, "pipeline_es_bulk_latency_seconds_max", Map.of()).orElse(Double.NaN)));
    }

    /** p50 / p99 in ms of what the histogram counted between two readings, and how many documents that was. */
    static String figures(SortedMap<Double, Double> before, SortedMap<Double, Double> after) {
        double documents = after.getOrDefault(Double.POSITIVE_INFINITY, 0.0) - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        return String.format("%.0f / %.0f ms over %,.0f documents", 1000 * PrometheusText.quantile(0.5, before, after),
                1000 * PrometheusText.quantile(0.99, before, after), documents);
    }
}
