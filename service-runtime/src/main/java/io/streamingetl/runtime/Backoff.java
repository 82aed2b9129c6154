package io.streamingetl.runtime;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How long to wait before asking again, the one back-off every service uses: from {@code initial}, doubling at
 * each failure in a row, never more than {@code max}. {@link #untilAnswered} asks until it is answered, for what
 * a service needs at start (the schema registry, Kafka refusing its credentials).
 */
public record Backoff(Duration initial, Duration max) {
    private static final Logger LOG = LoggerFactory.getLogger(Backoff.class);

    public Backoff {
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("max " + max + " below initial " + initial);
        }
    }

    /** The wait after {@code failures} failures in a row (0: the first). */
    public Duration delay(int failures) {
        return Duration.ofMillis(Math.min(max.toMillis(), initial.toMillis() << Math.min(failures, 20)));
    }

    /** Whether a failure numbered so is worth a log line: the first, then at every power of two. */
    public static boolean worthSaying(int failures) {
        return failures == 0 || Integer.bitCount(failures) == 1;
    }

    /**
     * {@code attempt}'s answer, asked again after each {@code unavailable} failure: not ready meanwhile with
     * {@code reason}, each new reason logged once ({@code who} prefixes the line).
     */
    public <T, E extends RuntimeException> T untilAnswered(Health health, String who, Class<E> unavailable,
                                                           Function<E, String> reason, Supplier<T> attempt)
            throws InterruptedException {
        String said = null;
        for (int failures = 0; ; failures++) {
            try {
                return attempt.get();
            } catch (RuntimeException e) {
                if (!unavailable.isInstance(e)) {
                    throw e;
                }
                String why = reason.apply(unavailable.cast(e));
                health.notReady(why);
                if (!why.equals(said)) {
                    LOG.warn("{}{}; asking again every {} s at most", who, SafeText.of(why), max.toSeconds());
                    said = why;
                }
                Thread.sleep(delay(failures).toMillis());
            }
        }
    }
}
