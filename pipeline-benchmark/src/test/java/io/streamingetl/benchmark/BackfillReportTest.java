package io.streamingetl.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The backfill's figures added to the page and to results.json an earlier run wrote, keeping what that run wrote. */
class BackfillReportTest {
    private static Map<String, Object> figures(double seconds) {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("customers", 1000);
        figures.put("orders", 2000);
        figures.put("documents", 1800);
        figures.put("seconds_to_complete", seconds);
        figures.put("sink_to_engine_ratio", 0.71);
        figures.put("live_visible_by_minute", List.of(800, 1900));
        figures.put("stages", Map.of("orders_complete_s", 20.0));
        return figures;
    }

    @Test
    void theSectionGoesIntoTheEarlierPageAndALaterBackfillReplacesIt(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("report.html");
        HtmlReport.write(page, Map.of("cores", 2), Map.of("raw Kafka", "89,323 records/s"));

        BackfillReport.addTo(page, figures(61.5), Map.of("backfill: the index holds every document", "61.5 s"));
        BackfillReport.addTo(page, figures(42.0), Map.of("backfill: the index holds every document", "42.0 s"));

        String html = Files.readString(page);
        assertThat(html).contains("<td>raw Kafka</td>").contains("Backfill while streaming").contains("after 42.0 s")
                .doesNotContain("after 61.5 s").contains("71% of the engine's best bulk rate").contains("p99 per minute")
                .contains("<svg");
        assertThat(html.indexOf(BackfillReport.BEGIN)).isEqualTo(html.lastIndexOf(BackfillReport.BEGIN));
        assertThat(html.indexOf(BackfillReport.END)).isLessThan(html.indexOf("</body>"));
    }

    @Test
    void withoutAnEarlierPageTheSectionIsAPageOfItsOwn(@TempDir Path dir) throws Exception {
        Path page = dir.resolve("report.html");

        BackfillReport.addTo(page, figures(61.5), Map.of());

        assertThat(Files.readString(page)).startsWith("<!DOCTYPE html>").contains("Backfill while streaming").endsWith("</html>\n");
    }

    @Test
    @SuppressWarnings("unchecked")
    void resultsJsonKeepsWhatTheOtherModesWrote(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("results.json");
        Files.writeString(file, "{\"capacity_changes_per_s\": 2300, \"failover\": {\"orders\": 1000000}}");

        ResultsFile.put(file, "backfill", Map.of("documents", 1800));

        Map<String, Object> json = new ObjectMapper().readValue(file.toFile(), Map.class);
        assertThat(json).containsEntry("capacity_changes_per_s", 2300).containsEntry("backfill", Map.of("documents", 1800))
                .containsKey("failover");
    }
}
