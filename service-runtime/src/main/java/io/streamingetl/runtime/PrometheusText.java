package io.streamingetl.runtime;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one reader of a {@code /metrics} answer (Prometheus text format) in the project: its samples, each a name,
 * labels and a value, and the few figures the demo, the CLI, the benchmark and the tests take from them.
 */
public final class PrometheusText {
    private static final Pattern SAMPLE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{([^}]*)})? (\\S+)");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One line of the exposition: a metric's name, its labels, its value. */
    public record Sample(String name, Map<String, String> labels, double value) {
    }

    private PrometheusText() {
    }

    /** Every sample of the scrape (comments and NaN values left out). */
    public static List<Sample> samples(String scrape) {
        List<Sample> samples = new ArrayList<>();
        Matcher m = SAMPLE.matcher(scrape);
        while (m.find()) {
            double value = Double.parseDouble(m.group(3));
            if (Double.isNaN(value)) {
                continue;
            }
            Map<String, String> labels = new LinkedHashMap<>();
            if (m.group(2) != null) {
                Matcher label = LABEL.matcher(m.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
            }
            samples.add(new Sample(m.group(1), Collections.unmodifiableMap(labels), value));
        }
        return samples;
    }

    /** The samples of {@code metric} whose labels include every one of {@code labels}. */
    public static List<Sample> samples(String scrape, String metric, Map<String, String> labels) {
        return samples(scrape).stream().filter(s -> s.name().equals(metric)
                && labels.entrySet().stream().allMatch(l -> l.getValue().equals(s.labels().get(l.getKey())))).toList();
    }

    /** The largest value of {@code metric} over the series whose labels include {@code labels}. */
    public static OptionalDouble max(String scrape, String metric, Map<String, String> labels) {
        return samples(scrape, metric, labels).stream().mapToDouble(Sample::value).max();
    }

    /** The sum of {@code metric} over the series whose labels include {@code labels} (0 when there is none). */
    public static double sum(String scrape, String metric, Map<String, String> labels) {
        return samples(scrape, metric, labels).stream().mapToDouble(Sample::value).sum();
    }

    /** The sum of {@code metric} over all its series (0 when there is none). */
    public static double sum(String scrape, String metric) {
        return sum(scrape, metric, Map.of());
    }

    /** {@code metric} summed by the value of its label {@code label}. */
    public static SortedMap<String, Double> sumBy(String scrape, String metric, String label) {
        SortedMap<String, Double> sums = new TreeMap<>();
        samples(scrape, metric, Map.of()).forEach(s -> sums.merge(s.labels().getOrDefault(label, ""), s.value(), Double::sum));
        return sums;
    }

    /** A histogram's cumulative counts by upper bound ({@code le}), summed over its series that have {@code labels}. */
    public static SortedMap<Double, Double> buckets(String scrape, String histogram, Map<String, String> labels) {
        SortedMap<Double, Double> buckets = new TreeMap<>();
        for (Sample bucket : samples(scrape, histogram + "_bucket", labels)) {
            String le = bucket.labels().get("le");
            if (le != null) {
                buckets.merge(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le), bucket.value(), Double::sum);
            }
        }
        return buckets;
    }

    public static SortedMap<Double, Double> buckets(String scrape, String histogram) {
        return buckets(scrape, histogram, Map.of());
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
}
