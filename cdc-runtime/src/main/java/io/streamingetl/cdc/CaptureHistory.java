package io.streamingetl.cdc;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Whether a source still has the changes after the position capture stored: asked before each engine starts, so a
 * position the source has lost is said (readiness, {@code /status}, {@code pipeline_cdc_history_lost}) rather than left to
 * a Debezium error, a retry loop or a silent gap; and watched while capture runs, where the source can tell.
 */
public interface CaptureHistory {
    CaptureHistory NONE = stored -> Optional.empty();

    /**
     * Why the source no longer has the changes after {@code stored} (the engine's last stored offset, as Debezium wrote it),
     * in words an operator acts on; empty when it has them, or when it cannot tell (the source unreachable: Debezium, which
     * retries, finds out).
     */
    Optional<String> lostAfter(Map<String, Object> stored);

    /** Readies the source for a new snapshot once its history is lost, under {@code ON_HISTORY_LOST=resnapshot}. */
    default void prepareResnapshot() {
    }

    /** A failure of the engine that means the history is lost, in the source's words; empty for any other failure. */
    default Optional<String> explains(Throwable failure) {
        return Optional.empty();
    }

    /**
     * The topics where a deleted row is a tombstone of its own key: after a new snapshot taken for lost history, the keys
     * it did not capture again are tombstoned there ({@link LostDeletes}). None by default.
     */
    default List<String> topicsDeletedByTombstone() {
        return List.of();
    }

    /** Tells {@code lost} when the source loses the history while capture runs (where it can tell); stopped at close. */
    default void watch(Consumer<String> lost) {
    }
}
