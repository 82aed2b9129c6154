package io.streamingetl.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchmarkResultsTest {

    @Test
    void resultsJsonHasEveryKeyNullWhereNotMeasuredAndTheLargestHeap(@TempDir Path dir) throws Exception {
        BenchmarkResults results = new BenchmarkResults();
        results.figure("ceiling_records_per_s", 24004L);
        results.heap(48);
        results.heap(202);
        results.heap(51);
        results.writeJson(dir.resolve("results.json"));

        JsonNode json = new ObjectMapper().readTree(dir.resolve("results.json").toFile());
        for (String key : BenchmarkResults.KEYS) {
            assertThat(json.has(key)).as(key).isTrue();
        }
        assertThat(json.get("ceiling_records_per_s").asLong()).isEqualTo(24004);
        assertThat(json.get("max_heap_mb").asLong()).isEqualTo(202);
        assertThat(json.get("sink_to_es_ratio").isNull()).isTrue();
        assertThat(json.get("cores").asInt()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void cpuPerRecordIsOneObjectByServiceAndCeiling(@TempDir Path dir) throws Exception {
        BenchmarkResults results = new BenchmarkResults();
        results.cpu("ceiling", 12.34);
        results.cpu("enrichment-service", 41.06);
        results.writeJson(dir.resolve("results.json"));

        JsonNode cpu = new ObjectMapper().readTree(dir.resolve("results.json").toFile()).get("cpu_us_per_record");
        assertThat(cpu.get("ceiling").asDouble()).isEqualTo(12.3);
        assertThat(cpu.get("enrichment-service").asDouble()).isEqualTo(41.1);
    }

    @Test
    void theMedianOfThreeRunsIsTheMiddleOneWhateverTheirOrder() {
        assertThat(BenchmarkResults.median(30_000, 12_000, 31_000)).isEqualTo(30_000);
        assertThat(BenchmarkResults.median(31_000, 30_000, 90_000)).isEqualTo(31_000);
        assertThat(BenchmarkResults.median(10, 20)).isEqualTo(15);
        assertThat(BenchmarkResults.each("%,.0f", 24_795, 23_282.4, 30_093)).isEqualTo("24,795 / 23,282 / 30,093");
    }

    @Test
    void aRatioIsTheRateOverItsCeilingToThreeDecimals() {
        assertThat(BenchmarkResults.ratio(9_823, 14_000)).isEqualTo(0.702);
        assertThat(BenchmarkResults.ratio(40_007, 40_007)).isEqualTo(1.0);
    }
}
