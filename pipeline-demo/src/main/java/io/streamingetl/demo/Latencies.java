package io.streamingetl.demo;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Latency percentiles from when each change was committed to when it reached a place. */
final class Latencies {
    private Latencies() {
    }

    /** p50 / p99 / max in ms of {@code reachedAt(id) - committedAt(id)} over the ids that reached it. */
    static String figures(Collection<String> ids, Map<String, Long> committedAt,
                          Function<String, Long> reachedAt) {
        List<Long> sorted = new ArrayList<>();
        for (String id : ids) {
            Long at = reachedAt.apply(id);
            if (at != null) {
                sorted.add((at - committedAt.get(id)) / 1_000_000);
            }
        }
        if (sorted.isEmpty()) {
            return "no samples";
        }
        Collections.sort(sorted);
        return String.format("%d / %d / %d ms", percentile(sorted, 50), percentile(sorted, 99), sorted.get(sorted.size() - 1));
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
