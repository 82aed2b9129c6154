package io.streamingetl.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The benchmark's page: self-contained, with a plot of each kind and every figure of the table. */
class HtmlReportTest {
    @Test
    void thePageHoldsTheLatencyHopsAndCpuPlotsAndTheTableWithNothingFetched(@TempDir Path dir) throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("cores", 2);
        figures.put("capacity_changes_per_s", 1600);
        figures.put("visible_p50_ms", 180);
        figures.put("steps", List.of(Map.of("asked", 1000, "p50_ms", 120, "p99_ms", 400, "visible_p50_ms", 180,
                "visible_p99_ms", 450, "repartition_hop_p99_ms", 90, "join_hop_p99_ms", 110)));
        figures.put("cpu_us_per_record", Map.of("ceiling", 2.6, "enrichment", 32.5));
        Path page = dir.resolve("report.html");

        HtmlReport.write(page, figures, Map.of("step 1,000 changes/s", "1,000 changes/s / 120 / 400 ms"));

        String html = Files.readString(page);
        assertThat(html).contains("Latency per load step").contains("The join's hops").contains("CPU per record")
                .contains("<svg").contains("seen by a search client p99 1000/s: 450").contains("enrichment")
                .contains("<td>step 1,000 changes/s</td><td>1,000 changes/s / 120 / 400 ms</td>")
                .doesNotContain("<script").doesNotContain("http://cdn").doesNotContain("src=\"http");
    }
}
