package io.streamingetl.benchmark;

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
        return figures(percentiles(ids, committedAt::get, reachedAt));
    }

    static String figures(long[] percentiles) {
        return percentiles == null ? "no samples"
                : String.format("%d / %d / %d ms", percentiles[0], percentiles[1], percentiles[2]);
    }

    /** p50, p99 and max in ms of {@code reachedAt(id) - from(id)} over the ids that have both; null when none has. */
    static long[] percentiles(Collection<String> ids, Function<String, Long> from, Function<String, Long> reachedAt) {
        List<Long> sorted = new ArrayList<>();
        for (String id : ids) {
            Long start = from.apply(id);
            Long at = reachedAt.apply(id);
            if (start != null && at != null) {
                sorted.add((at - start) / 1_000_000);
            }
        }
        if (sorted.isEmpty()) {
            return null;
        }
        Collections.sort(sorted);
        return new long[] {percentile(sorted, 50), percentile(sorted, 99), sorted.get(sorted.size() - 1)};
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    /** The {@code quantile} (0.5, 0.99) of sorted ms figures; -1 when there are none. */
    static long percentile(List<Long> sorted, double quantile) {
        return sorted.isEmpty() ? -1 : percentile(sorted, (int) Math.round(quantile * 100));
    }
}
