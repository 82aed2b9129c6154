package io.streamingetl.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * The benchmark's figures in the order measured: each said as it comes, all of them as one table at the end,
 * and the machine-readable ones ({@link #figure}) in {@code .benchmark/results.json}, null where the run did
 * not measure them.
 */
final class BenchmarkResults {
    /** The keys results.json always has (issue 17's), null until measured. */
    static final String[] KEYS = {"cores", "capacity_changes_per_s", "steps", "ceiling_records_per_s", "enrichment_ratio",
            "join_ratio", "sink_to_es_ratio", "cpu_us_per_record", "max_heap_mb"};

    private final Map<String, String> results = new LinkedHashMap<>();
    private final Map<String, Object> figures = new TreeMap<>();

    BenchmarkResults() {
        for (String key : KEYS) {
            figures.put(key, null);
        }
        figures.put("cores", Runtime.getRuntime().availableProcessors());
    }

    void add(String what, String figure) {
        results.put(what, figure);
        PipelineDemo.say(what + ": " + figure);
    }

    /** A figure for results.json. */
    void figure(String key, Object value) {
        figures.put(key, value);
    }

    /** The largest heap any service used, over every reading. */
    void heap(long megabytes) {
        figures.merge("max_heap_mb", megabytes, (a, b) -> a == null ? b : Math.max(((Number) a).longValue(), (Long) b));
    }

    Map<String, Object> figures() {
        return figures;
    }

    void printTable() {
        System.out.println();
        System.out.println("| measure | figure |");
        System.out.println("|---|---|");
        results.forEach((what, figure) -> System.out.println("| " + what + " | " + figure + " |"));
    }

    void writeJson(Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), figures);
        PipelineDemo.say("figures written to " + file);
    }
}
