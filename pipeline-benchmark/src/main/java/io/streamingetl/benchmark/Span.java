package io.streamingetl.benchmark;

import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * When a run's output began, when it was past its warm-up share, and when it was complete: its rate overall
 * and once warm, as a service starts cold and compiles as it goes; and the CPU time it used once warm.
 */
final class Span {
    /** The share of a run's output left out of its steady rate. */
    static final double WARM_UP_SHARE = 0.2;
    /**
     * The share after which the run counts as steady: the services warm up before they say ready, and by then the JIT
     * has compiled the rest too; the CPU per record from here is the steady figure, reported beside the one above.
     */
    static final double STEADY_SHARE = 0.5;

    /** What the measured processes have used so far: CPU time, and the time their JITs spent compiling. */
    record Times(long cpuNanos, long compilingNanos) {
        static final Times NONE = new Times(0, 0);

        Times plus(Times other) {
            return new Times(cpuNanos + other.cpuNanos, compilingNanos + other.compilingNanos);
        }
    }

    private final Supplier<Times> times;
    private long first;
    private long warm;
    private long last;
    private Times atWarm = Times.NONE;
    private long steady;
    private Times atSteady = Times.NONE;
    private Times atLast = Times.NONE;
    private long warmAtMillis;
    private long lastAtMillis;

    Span() {
        this(() -> Times.NONE);
    }

    /** @param cpuNanos the CPU time the measured process has used so far, read once warm and once at the end */
    Span(LongSupplier cpuNanos) {
        this(() -> new Times(cpuNanos.getAsLong(), 0));
    }

    /** @param times both of the measured processes' times, read together once warm and once at the end */
    Span(Supplier<Times> times) {
        this.times = times;
    }

    /** Notes that {@code seen} of {@code count} records are out, now. */
    void mark(long seen, long count) {
        long now = System.nanoTime();
        if (seen > 0 && first == 0) {
            first = now;
        }
        if (seen >= count * WARM_UP_SHARE && warm == 0) {
            warm = now;
            atWarm = times.get();
            warmAtMillis = System.currentTimeMillis();
        }
        if (seen >= count * STEADY_SHARE && steady == 0) {
            steady = now;
            atSteady = times.get();
        }
        if (seen >= count && last == 0) {
            end();
        }
    }

    /** Ends the run now, whatever was seen last (a producer's flush still counts). */
    void end() {
        last = System.nanoTime();
        atLast = times.get();
        lastAtMillis = System.currentTimeMillis();
    }

    /** The wall-clock times (epoch ms) of the warm-up share and of the end: the window CPU per record is taken over. */
    long[] measuredWindow() {
        return new long[] {warmAtMillis, lastAtMillis};
    }

    boolean complete() {
        return last > 0;
    }

    /** Records per second of {@code records} after the warm-up share. */
    double warmRate(long records) {
        return records * (1 - WARM_UP_SHARE) / Math.max((last - warm) / 1e9, 1e-3);
    }

    /** Records per second of {@code records}, from the first to the last. */
    double overallRate(long records) {
        return records / Math.max((last - first) / 1e9, 1e-3);
    }

    /** Microseconds of CPU per record of {@code records} after the warm-up share (start-up and JIT left out as in the rate). */
    double cpuMicrosPerRecord(long records) {
        return (atLast.cpuNanos() - atWarm.cpuNanos()) / 1e3 / (records * (1 - WARM_UP_SHARE));
    }

    /** Microseconds of CPU per record of {@code records} after the steady share. */
    double steadyCpuMicrosPerRecord(long records) {
        return (atLast.cpuNanos() - atSteady.cpuNanos()) / 1e3 / (records * (1 - STEADY_SHARE));
    }

    /** The JIT's compiling over the steady window, as {@link #compilingMicrosPerRecord} over the warm one. */
    double steadyCompilingMicrosPerRecord(long records) {
        return (atLast.compilingNanos() - atSteady.compilingNanos()) / 1e3 / (records * (1 - STEADY_SHARE));
    }

    /**
     * Microseconds per record, over the same window, that the JIT's compiler threads spent compiling: part of the
     * CPU above while a short run is still warming up. It is their wall time, an upper bound of the CPU they took.
     */
    double compilingMicrosPerRecord(long records) {
        return (atLast.compilingNanos() - atWarm.compilingNanos()) / 1e3 / (records * (1 - WARM_UP_SHARE));
    }
}
