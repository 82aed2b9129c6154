package io.streamingetl.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.runtime.PrometheusText;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.TreeMap;

/**
 * The demo's progress in one line: counts per topic, dead letters per topic, the records the join dropped as late
 * (per side), the index and its freshness: enough to tell on screen why a document did not appear.
 */
final class ProgressLine {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PipelineCounts counts;
    private final List<String> topics;
    private final String searchUrl;
    private final String index;
    private final String joinMetricsUrl;
    private final String sinkMetricsUrl;
    private final List<String> captureStatusUrls;

    ProgressLine(PipelineCounts counts, List<String> topics, String searchUrl, String index, String joinMetricsUrl,
                 String sinkMetricsUrl, List<String> captureStatusUrls) {
        this.counts = counts;
        this.topics = topics;
        this.searchUrl = searchUrl;
        this.index = index;
        this.joinMetricsUrl = joinMetricsUrl;
        this.sinkMetricsUrl = sinkMetricsUrl;
        this.captureStatusUrls = captureStatusUrls;
    }

    String now() {
        StringBuilder line = new StringBuilder();
        counts.snapshot(topics).forEach((topic, n) -> line.append(topic).append('=').append(n).append(' '));
        Map<String, Long> deadLetters = counts.deadLettersByTopic();
        line.append("| dead letters ").append(deadLetters.isEmpty() ? "none" : deadLetters.toString());
        line.append(" | late, not joined: ").append(joinLateRecords());
        line.append(" | index ").append(index).append('=').append(Math.max(0, IndexContents.count(searchUrl, index))).append(" documents");
        line.append(" | freshness ").append(freshness());
        captureStatusUrls.forEach(url -> snapshot(url).ifPresent(progress -> line.append(" | ").append(progress)));
        return line.toString();
    }

    /** A re-snapshot under way (./pipeline snapshot), from the capture's /status: its collection and rows read of all. */
    private static Optional<String> snapshot(String statusUrl) {
        try {
            JsonNode snapshot = JSON.readTree(HttpProbe.get(statusUrl).body()).path("snapshot");
            String state = snapshot.path("state").asText("");
            if (!state.equals("requested") && !state.equals("running") && !state.equals("paused")) {
                return Optional.empty();
            }
            return Optional.of("snapshot " + snapshot.path("collections").path(0).asText() + " " + state + ": "
                    + snapshot.path("rows_scanned").asLong() + "/" + snapshot.path("rows_total").asLong() + " rows");
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** From a change's commit to its document indexed, p50 / p99 over about the last minute (es-sink-service's). */
    private String freshness() {
        String scrape = HttpProbe.get(sinkMetricsUrl).body();
        OptionalDouble p50 = PrometheusText.max(scrape, "pipeline_index_freshness_recent_seconds", Map.of("quantile", "0.5"));
        OptionalDouble p99 = PrometheusText.max(scrape, "pipeline_index_freshness_recent_seconds", Map.of("quantile", "0.99"));
        return p50.isPresent() && p99.isPresent() && p99.getAsDouble() > 0
                ? String.format("p50 %.2f s, p99 %.2f s", p50.getAsDouble(), p99.getAsDouble()) : "none in the last minute";
    }

    /** The join's late-records-total by side, from its /metrics (0 until its sensor first reaches /metrics). */
    private Map<String, Long> joinLateRecords() {
        Map<String, Long> late = new TreeMap<>(Map.of("order", 0L, "shipment", 0L));
        PrometheusText.sumBy(HttpProbe.get(joinMetricsUrl).body(), "kafka_stream_shipment_join_late_records_total",
                "shipment_join_id").forEach((side, n) -> late.merge(side, n.longValue(), Long::sum));
        return late;
    }
}
