package io.streamingetl.runtime;

import java.util.Map;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.DoubleStream;

/** Reads figures out of a {@code /metrics} answer (Prometheus text format), for the demo and {@code ./pipeline}. */
public final class PrometheusText {
    private PrometheusText() {
    }

    /** The largest value of {@code metric} over the series whose labels contain {@code label} (e.g. {@code quantile="0.99"}). */
    public static OptionalDouble max(String scrape, String metric, String label) {
        return values(scrape, metric, label).max();
    }

    /** The sum of {@code metric} over all its series (0 when there is none). */
    public static double sum(String scrape, String metric) {
        return values(scrape, metric, "").sum();
    }

    /** A histogram's cumulative counts by upper bound ({@code le}), summed over all its series. */
    public static SortedMap<Double, Double> buckets(String scrape, String histogram) {
        return buckets(scrape, histogram, "");
    }

    /** The same, over the series whose labels contain {@code label} (e.g. {@code source="logistics.orders"}). */
    public static SortedMap<Double, Double> buckets(String scrape, String histogram, String label) {
        SortedMap<Double, Double> buckets = new TreeMap<>();
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(histogram) + "_bucket\\{([^}]*)} (\\S+)$").matcher(scrape);
        Pattern le = Pattern.compile("le=\"([^\"]+)\"");
        while (m.find()) {
            Matcher bound = le.matcher(m.group(1));
            if (!m.group(1).contains(label) || !bound.find()) {
                continue;
            }
            double upper = bound.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(bound.group(1));
            buckets.merge(upper, Double.parseDouble(m.group(2)), Double::sum);
        }
        return buckets;
    }

    /**
     * The {@code q} quantile of what was observed between two readings of a histogram's buckets, interpolated
     * within its bucket as Prometheus's {@code histogram_quantile} does; NaN when nothing was observed.
     */
    public static double quantile(double q, SortedMap<Double, Double> before, SortedMap<Double, Double> after) {
        double total = after.getOrDefault(Double.POSITIVE_INFINITY, 0.0) - before.getOrDefault(Double.POSITIVE_INFINITY, 0.0);
        if (total <= 0) {
            return Double.NaN;
        }
        double rank = q * total;
        double lowerBound = 0;
        double countBelow = 0;
        for (Map.Entry<Double, Double> bucket : after.entrySet()) {
            double count = bucket.getValue() - before.getOrDefault(bucket.getKey(), 0.0);
            if (count >= rank) {
                if (bucket.getKey().isInfinite()) {
                    return lowerBound;
                }
                return lowerBound + (bucket.getKey() - lowerBound) * (rank - countBelow) / Math.max(count - countBelow, 1e-9);
            }
            lowerBound = bucket.getKey();
            countBelow = count;
        }
        return lowerBound;
    }

    private static DoubleStream values(String scrape, String metric, String label) {
        Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "(?:\\{([^}]*)})? (\\S+)$").matcher(scrape);
        DoubleStream.Builder values = DoubleStream.builder();
        while (m.find()) {
            if ((m.group(1) == null ? "" : m.group(1)).contains(label)) {
                double value = Double.parseDouble(m.group(2));
                if (!Double.isNaN(value)) {
                    values.add(value);
                }
            }
        }
        return values.build();
    }
}
