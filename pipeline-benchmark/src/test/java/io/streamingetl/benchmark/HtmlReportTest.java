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

    @Test
    void theDeliveryProfilesStandSideBySideEachWithItsSteps(@TempDir Path dir) throws Exception {
        Map<String, Object> profiles = new LinkedHashMap<>();
        profiles.put("exactly-once", Map.of("visible_p50_ms", 190, "visible_p99_ms", 380, "startup_p99_ms", 700,
                "capacity_changes_per_s", 3500, "steps", List.of(Map.of("asked", 1000, "visible_p99_ms", 380))));
        profiles.put("low-latency", Map.of("visible_p50_ms", 95, "visible_p99_ms", 240, "startup_p99_ms", 450,
                "capacity_changes_per_s", 5300, "steps", List.of(Map.of("asked", 1000, "visible_p99_ms", 240))));
        Map<String, Object> figures = new LinkedHashMap<>(Map.of("cores", 2, "profiles", profiles));
        Path page = dir.resolve("report.html");

        HtmlReport.write(page, figures, Map.of());

        assertThat(Files.readString(page)).contains("<th>exactly-once</th><th>low-latency</th>")
                .contains("<tr><td>seen by a search client p50 (ms)</td><td>190</td><td>95</td></tr>")
                .contains("<tr><td>capacity at p99 &le; 1 s (changes/s)</td><td>3500</td><td>5300</td></tr>")
                .contains("Latency per load step, exactly-once").contains("Latency per load step, low-latency");
    }
}
