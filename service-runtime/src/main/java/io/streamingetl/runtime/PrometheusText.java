package io.streamingetl.runtime;

import java.util.OptionalDouble;
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
