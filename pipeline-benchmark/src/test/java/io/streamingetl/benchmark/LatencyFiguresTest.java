package io.streamingetl.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class LatencyFiguresTest {

    @Test
    void theBenchmarksFiguresAreTheMedianOfItsLatencyRuns() {
        BenchmarkResults results = new BenchmarkResults();
        LatencyFigures.report(List.of(new LatencyFigures(527, 864, 1000, 8806, 3500),
                new LatencyFigures(291, 584, 1000, 2900, 5300), new LatencyFigures(486, 744, 1000, 8654, 0)), results);

        assertThat(results.figures()).containsEntry("visible_p50_ms", 486L).containsEntry("visible_p99_ms", 744L)
                .containsEntry("visible_at_changes_per_s", 1000L).containsEntry("startup_p99_ms", 8654L)
                .containsEntry("capacity_changes_per_s", 3500).containsEntry("latency_runs", 3);
    }

    @Test
    void aFigureARunDidNotMeasureIsLeftOutOfTheMedian() {
        BenchmarkResults results = new BenchmarkResults();
        LatencyFigures.report(List.of(new LatencyFigures(-1, -1, -1, 9000, 0), new LatencyFigures(500, 800, 1000, 7000, 1000)),
                results);

        assertThat(results.figures()).containsEntry("visible_p50_ms", 500L).containsEntry("startup_p99_ms", 8000L);
    }

    @Test
    void theCapacityOfAnEvenNumberOfRunsIsTheLowerMiddleStepNotBetweenTwo() {
        BenchmarkResults results = new BenchmarkResults();
        LatencyFigures.report(List.of(new LatencyFigures(500, 800, 1000, 7000, 3500),
                new LatencyFigures(500, 800, 1000, 7000, 1500)), results);

        assertThat(results.figures()).containsEntry("capacity_changes_per_s", 1500);
    }

    @Test
    void noRunThatMeasuredAFigureLeavesItNull() {
        BenchmarkResults results = new BenchmarkResults();
        LatencyFigures.report(List.of(new LatencyFigures(-1, -1, -1, 9000, 0)), results);

        assertThat(results.figures().get("visible_p50_ms")).isNull();
    }

    @Test
    void eachProfilesFiguresGoUnderItsNameAndItsLinesArePrefixedWithIt() {
        BenchmarkResults results = new BenchmarkResults();
        LatencyFigures.report(List.of(new LatencyFigures(90, 240, 1000, 400, 5300)), results.ofProfile("low-latency"));

        assertThat(results.figures().get("profiles")).asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .extractingByKey("low-latency").asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsEntry("visible_p50_ms", 90L).containsEntry("visible_p99_ms", 240L).containsEntry("startup_p99_ms", 400L)
                .containsEntry("capacity_changes_per_s", 5300);
        assertThat(results.figures().get("visible_p50_ms")).as("the default's keys stay the exactly-once profile's").isNull();
    }
}
