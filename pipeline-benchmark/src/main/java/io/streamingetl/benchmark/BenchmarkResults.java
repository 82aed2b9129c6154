package io.streamingetl.benchmark;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.streamingetl.harness.LocalPipeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
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
            "join_ratio", "sink_to_es_ratio", "cpu_us_per_record", "max_heap_mb", "visible_p50_ms", "visible_p99_ms", "startup_p99_ms"};

    private final Map<String, String> results = new LinkedHashMap<>();
    private final Map<String, Object> figures = new TreeMap<>();
    /** Of a profile's results: the whole run's, its lines said under {@link #prefix}, its figures under profiles.<name>. */
    private final BenchmarkResults parent;
    private final String prefix;

    BenchmarkResults() {
        this.parent = null;
        this.prefix = "";
        for (String key : KEYS) {
            figures.put(key, null);
        }
        figures.put("cores", Runtime.getRuntime().availableProcessors());
    }

    private BenchmarkResults(BenchmarkResults parent, String profile) {
        this.parent = parent;
        this.prefix = profile + ": ";
        parent.profiles().put(profile, figures);
    }

    /** Results of one delivery profile: lines in this table prefixed with it, figures under {@code profiles.<profile>}. */
    BenchmarkResults ofProfile(String profile) {
        return new BenchmarkResults(this, profile);
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> profiles() {
        return (Map<String, Object>) figures.computeIfAbsent("profiles", k -> new TreeMap<String, Object>());
    }

    void add(String what, String figure) {
        if (parent != null) {
            parent.add(prefix + what, figure);
            return;
        }
        results.put(what, figure);
        LocalPipeline.say(what + ": " + figure);
    }

    /** A figure for results.json. */
    void figure(String key, Object value) {
        figures.put(key, value);
    }

    /** The largest heap any service used, over every reading (the whole run's, whichever profile read it). */
    void heap(long megabytes) {
        if (parent != null) {
            parent.heap(megabytes);
            return;
        }
        figures.merge("max_heap_mb", megabytes, (a, b) -> a == null ? b : Math.max(((Number) a).longValue(), (Long) b));
    }

    /** A service's CPU per record (or the ceiling's), under {@code cpu_us_per_record}. */
    void cpu(String name, double microsPerRecord) {
        perName("cpu_us_per_record", name, microsPerRecord);
    }

    /** A service's CPU per record once steady, under {@code cpu_us_per_record_steady}. */
    void cpuSteady(String name, double microsPerRecord) {
        perName("cpu_us_per_record_steady", name, microsPerRecord);
    }

    /** The JIT's compiling per record once steady, under {@code jit_compiling_us_per_record_steady}. */
    void compilingSteady(String name, double microsPerRecord) {
        perName("jit_compiling_us_per_record_steady", name, microsPerRecord);
    }

    /** The part of a service's CPU per record its JIT spent compiling, under {@code jit_compiling_us_per_record}. */
    void compiling(String name, double microsPerRecord) {
        perName("jit_compiling_us_per_record", name, microsPerRecord);
    }

    @SuppressWarnings("unchecked")
    private void perName(String key, String name, double microsPerRecord) {
        ((Map<String, Double>) figures.computeIfAbsent(key, k -> new TreeMap<String, Double>()))
                .put(name, Math.round(10 * microsPerRecord) / 10.0);
    }

    /** The middle figure of a few runs: one slow run (the other engineer's build, a GC) does not move it. */
    static double median(double... runs) {
        double[] sorted = runs.clone();
        Arrays.sort(sorted);
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /** The runs' figures, in the order run, as the table says them beside their median. */
    static String each(String format, double... runs) {
        return String.join(" / ", Arrays.stream(runs).mapToObj(r -> String.format(format, r)).toList());
    }

    /** A rate as a share of its ceiling, to three decimals as results.json has it. */
    static double ratio(double rate, double ceiling) {
        return Math.round(1000 * rate / ceiling) / 1000.0;
    }

    Map<String, Object> figures() {
        return figures;
    }

    /** Every figure said, in the order measured, as the table prints them. */
    Map<String, String> table() {
        return new LinkedHashMap<>(results);
    }

    void printTable() {
        System.out.println();
        System.out.println("| measure | figure |");
        System.out.println("|---|---|");
        results.forEach((what, figure) -> System.out.println("| " + what + " | " + figure + " |"));
    }

    /** The same as a page: {@link HtmlReport}. */
    void writeHtml(Path file) throws IOException {
        HtmlReport.write(file, figures, results);
        LocalPipeline.say("report written to " + file);
    }

    void writeJson(Path file) throws IOException {
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(file.toFile(), figures);
        LocalPipeline.say("figures written to " + file);
    }
}
