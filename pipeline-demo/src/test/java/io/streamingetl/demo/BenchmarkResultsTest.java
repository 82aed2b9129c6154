package io.streamingetl.demo;

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
}
