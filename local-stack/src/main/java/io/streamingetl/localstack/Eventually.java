package io.streamingetl.localstack;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.function.Predicate;

/** Reads something again and again until it satisfies a condition or time is up: how tests wait on a pipeline. */
public final class Eventually {
    private Eventually() {
    }

    /** The last value read: the first that satisfied {@code done}, or the one read when {@code timeout} ran out. */
    public static <T> T await(Callable<T> read, Predicate<T> done, Duration timeout, Duration every) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        T value = read.call();
        while (!done.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(every.toMillis());
            value = read.call();
        }
        return value;
    }
}
