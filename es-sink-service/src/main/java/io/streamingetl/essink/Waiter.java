package io.streamingetl.essink;

/** Waits before an attempt is made again, saying why; false when the partitions were taken away or the sink stops. */
@FunctionalInterface
interface Waiter {
    boolean waitBeforeRetry(String reason, int failures);
}
