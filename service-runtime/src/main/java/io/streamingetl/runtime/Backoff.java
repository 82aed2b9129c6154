package io.streamingetl.runtime;

import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks again while something a service needs at start cannot be asked (the schema registry, Kafka refusing its
 * credentials): not ready meanwhile with the reason, each new reason logged once, a capped exponential back-off.
 */
final class Backoff {
    private static final Logger LOG = LoggerFactory.getLogger(Backoff.class);

    private Backoff() {
    }

    /**
     * {@code attempt}'s answer, asked again after each {@code unavailable} failure, waiting from {@code initial}
     * doubling up to {@code max}; {@code reason} says what the service waits for, {@code who} prefixes the log line.
     */
    static <T, E extends RuntimeException> T untilAnswered(Health health, String who, Duration initial, Duration max,
                                                          Class<E> unavailable, Function<E, String> reason,
                                                          Supplier<T> attempt) throws InterruptedException {
        long backoff = initial.toMillis();
        String said = null;
        while (true) {
            try {
                return attempt.get();
            } catch (RuntimeException e) {
                if (!unavailable.isInstance(e)) {
                    throw e;
                }
                String why = reason.apply(unavailable.cast(e));
                health.notReady(why);
                if (!why.equals(said)) {
                    LOG.warn("{}{}; asking again every {} s at most", who, why, max.toSeconds());
                    said = why;
                }
                Thread.sleep(backoff);
                backoff = Math.min(max.toMillis(), backoff * 2);
            }
        }
    }
}
