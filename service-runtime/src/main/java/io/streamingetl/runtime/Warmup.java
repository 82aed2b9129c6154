package io.streamingetl.runtime;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records of a service's own kind through its own code before it says ready ({@code WARM_UP_RECORDS}, 20,000): the JIT
 * compiles the hot paths while no change waits, so the first seconds of load are served like the rest instead of ten
 * times slower. Capped at {@link #LONGEST} on a slow machine; a warm-up that fails is logged and ends, never the service.
 */
public final class Warmup {
    public static final String SETTING = "WARM_UP_RECORDS";
    static final Duration LONGEST = Duration.ofSeconds(10);
    private static final Logger LOG = LoggerFactory.getLogger(Warmup.class);

    /** One record's worth of the service's work, the {@code i}th. */
    @FunctionalInterface
    public interface Round {
        void run(int i) throws Exception;
    }

    private Warmup() {
    }

    /** {@code WARM_UP_RECORDS}: how many records a service runs through itself before it says ready; 0 for none. */
    public static int records(Settings settings) {
        return settings.integer(SETTING, 20_000, 0, 10_000_000);
    }

    /** Runs up to {@code records} rounds (at most {@link #LONGEST}), not ready meanwhile; how many ran. */
    public static int run(String service, int records, Health health, Round round) {
        if (records == 0) {
            return 0;
        }
        health.notReady("warming up: " + records + " records of its own kind through its code before it takes traffic");
        long start = System.nanoTime();
        long deadline = start + LONGEST.toNanos();
        int i = 0;
        try {
            for (; i < records && System.nanoTime() < deadline; i++) {
                round.run(i);
            }
        } catch (Exception | LinkageError e) {
            LOG.warn("{}: warming up stopped after {} records ({}); it starts cold", service, i, e.toString());
            return i;
        }
        LOG.info("{}: warmed up with {} records in {} ms", service, i, (System.nanoTime() - start) / 1_000_000);
        return i;
    }
}
