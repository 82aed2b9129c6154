package io.streamingetl.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SpanTest {

    @Test
    void cpuPerRecordCountsOnlyWhatWasUsedAfterTheWarmUpShare() {
        AtomicLong cpuNanos = new AtomicLong();
        Span span = new Span(cpuNanos::get);
        cpuNanos.set(5_000_000_000L);       // start-up and JIT: left out, as in the warm rate
        span.mark(100, 1000);
        span.mark(200, 1000);
        cpuNanos.addAndGet(40_000_000L);    // 40 ms for the last 800 records
        span.mark(1000, 1000);

        assertThat(span.cpuMicrosPerRecord(1000)).isEqualTo(50.0);
    }

    @Test
    void aRunEndedByAFlushReadsItsCpuAtTheEnd() {
        AtomicLong cpuNanos = new AtomicLong();
        Span span = new Span(cpuNanos::get);
        span.mark(500, 1000);
        cpuNanos.set(8_000_000L);
        span.end();

        assertThat(span.cpuMicrosPerRecord(1000)).isEqualTo(10.0);
    }

    @Test
    void theJitsCompilingIsCountedOverTheSameWindowAsTheCpu() {
        AtomicLong cpuNanos = new AtomicLong();
        AtomicLong compilingNanos = new AtomicLong(3_000_000_000L);
        Span span = new Span(() -> new Span.Times(cpuNanos.get(), compilingNanos.get()));
        span.mark(200, 1000);
        cpuNanos.addAndGet(40_000_000L);
        compilingNanos.addAndGet(24_000_000L);  // 24 ms of the 40 compiling the code the records run
        span.mark(1000, 1000);

        assertThat(span.compilingMicrosPerRecord(1000)).isEqualTo(30.0);
        assertThat(span.cpuMicrosPerRecord(1000)).isEqualTo(50.0);
    }

    @Test
    void theSteadyFigureCountsOnlyWhatWasUsedAfterTheSteadyShare() {
        AtomicLong cpuNanos = new AtomicLong();
        AtomicLong compilingNanos = new AtomicLong();
        Span span = new Span(() -> new Span.Times(cpuNanos.get(), compilingNanos.get()));
        span.mark(200, 1000);
        cpuNanos.addAndGet(60_000_000L);        // the warm-up's last compiling, before half the records
        compilingNanos.addAndGet(30_000_000L);
        span.mark(500, 1000);
        cpuNanos.addAndGet(10_000_000L);        // 10 ms for the last 500
        compilingNanos.addAndGet(500_000L);
        span.mark(1000, 1000);

        assertThat(span.steadyCpuMicrosPerRecord(1000)).isEqualTo(20.0);
        assertThat(span.steadyCompilingMicrosPerRecord(1000)).isEqualTo(1.0);
        assertThat(span.cpuMicrosPerRecord(1000)).isEqualTo(87.5);
    }
}
