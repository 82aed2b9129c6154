package io.streamingetl.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.Test;

class PrometheusTextTest {
    private static String scrape(long under1, long under5, long under10, long all) {
        return "# TYPE f_seconds histogram\n"
                + "f_seconds_bucket{source=\"a\",le=\"1.0\"} " + under1 + "\n"
                + "f_seconds_bucket{source=\"a\",le=\"5.0\"} " + under5 + "\n"
                + "f_seconds_bucket{source=\"a\",le=\"10.0\"} " + under10 + "\n"
                + "f_seconds_bucket{source=\"a\",le=\"+Inf\"} " + all + "\n"
                + "f_seconds_count{source=\"a\"} " + all + "\n";
    }

    @Test
    void aQuantileOfWhatWasObservedBetweenTwoReadingsIsInterpolatedAsPrometheusDoes() {
        SortedMap<Double, Double> before = PrometheusText.buckets(scrape(500, 500, 500, 500), "f_seconds");
        SortedMap<Double, Double> after = PrometheusText.buckets(scrape(590, 590, 600, 600), "f_seconds");

        assertThat(PrometheusText.quantile(0.99, before, after)).isCloseTo(9.5, within(1e-9));
        assertThat(PrometheusText.quantile(0.5, before, after)).isCloseTo(50 / 90.0, within(1e-9));
        assertThat(PrometheusText.quantile(0.5, after, after)).isNaN();
    }

    @Test
    void quantilesOfTheRecentSummaryAndSumsAreReadAcrossSeries() {
        String scrape = "x_seconds{source=\"a\",quantile=\"0.99\"} 0.8\nx_seconds{source=\"b\",quantile=\"0.99\"} 1.2\n"
                + "x_seconds{source=\"b\",quantile=\"0.5\"} 0.3\nd_total{t=\"a\"} 2.0\nd_total{t=\"b\"} 1.0\n";

        assertThat(PrometheusText.max(scrape, "x_seconds", Map.of("quantile", "0.99"))).hasValue(1.2);
        assertThat(PrometheusText.sum(scrape, "d_total")).isEqualTo(3.0);
    }

    @Test
    void sumsAreTakenOverTheSeriesWithTheGivenLabelsOrByALabelsValue() {
        String scrape = "# HELP m bytes\nm{area=\"heap\",id=\"eden\"} 2.0\nm{area=\"heap\",id=\"old\"} 3.0\nm{area=\"nonheap\",id=\"meta\"} 5.0\n"
                + "late_total{side=\"order\",task=\"0_0\"} 1.0\nlate_total{side=\"order\",task=\"0_1\"} 2.0\nlate_total{side=\"shipment\",task=\"0_0\"} 4.0\n";

        assertThat(PrometheusText.sum(scrape, "m", Map.of("area", "heap"))).isEqualTo(5.0);
        assertThat(PrometheusText.sumBy(scrape, "late_total", "side")).isEqualTo(Map.of("order", 3.0, "shipment", 4.0));
        assertThat(PrometheusText.samples(scrape)).hasSize(6);
    }
}
