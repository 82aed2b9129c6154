package io.streamingetl.benchmark;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One latency run's headline figures; the benchmark's are the median of its runs, as one run on a shared
 * machine can be off by half. A figure a run did not measure is negative and left out of the median; a capacity of
 * 0 is a run that held no step.
 *
 * @param visibleAtChangesPerS the step the visible figures are of: the one nearest 1,000 changes/s
 */
record LatencyFigures(long visibleP50Ms, long visibleP99Ms, int visibleAtChangesPerS, long startupP99Ms,
                      int capacityChangesPerS) {

    /** The median of the runs' figures into results.json, and a line with each run's beside it; the medians. */
    static LatencyFigures report(List<LatencyFigures> runs, BenchmarkResults results) {
        Long visibleP50 = median(runs, LatencyFigures::visibleP50Ms);
        Long visibleP99 = median(runs, LatencyFigures::visibleP99Ms);
        Long visibleAt = median(runs, LatencyFigures::visibleAtChangesPerS);
        Long startupP99 = median(runs, LatencyFigures::startupP99Ms);
        // A step that was run: of an even number of runs the lower of the middle two.
        int[] capacities = runs.stream().mapToInt(LatencyFigures::capacityChangesPerS).sorted().toArray();
        int capacity = capacities[(capacities.length - 1) / 2];
        LatencyFigures medians = new LatencyFigures(orNone(visibleP50), orNone(visibleP99), (int) orNone(visibleAt),
                orNone(startupP99), capacity);
        results.figure("latency_runs", runs.size());
        medians.into(results);
        results.add(String.format("%s: seen by a search client at %s changes/s p50 / p99; the first 5 s of load p99; capacity",
                        runs.size() == 1 ? "the latency run" : "median of " + runs.size() + " latency runs", visibleAt),
                String.format("%s / %s ms; %s ms; %s changes/s (runs: %s)", visibleP50, visibleP99, startupP99, capacity,
                        String.join(", ", runs.stream().map(run -> String.format("[%d / %d ms; %d ms; %d]", run.visibleP50Ms,
                                run.visibleP99Ms, run.startupP99Ms, run.capacityChangesPerS)).toList())));
        return medians;
    }

    /** These figures into results.json (null where not measured). */
    void into(BenchmarkResults results) {
        results.figure("visible_p50_ms", visibleP50Ms < 0 ? null : visibleP50Ms);
        results.figure("visible_p99_ms", visibleP99Ms < 0 ? null : visibleP99Ms);
        results.figure("visible_at_changes_per_s", visibleAtChangesPerS < 0 ? null : (long) visibleAtChangesPerS);
        results.figure("startup_p99_ms", startupP99Ms < 0 ? null : startupP99Ms);
        results.figure("capacity_changes_per_s", capacityChangesPerS);
    }

    private static long orNone(Long median) {
        return median == null ? -1 : median;
    }

    /** The median of what the runs measured, rounded; null when none did. */
    private static Long median(List<LatencyFigures> runs, ToDoubleFunction<LatencyFigures> figure) {
        double[] measured = runs.stream().mapToDouble(figure).filter(value -> value >= 0).toArray();
        return measured.length == 0 ? null : Math.round(BenchmarkResults.median(measured));
    }
}
