package io.streamingetl.cdc;

import java.util.Map;

/**
 * What a source can re-capture on demand (an incremental snapshot): its collections by the names operators use,
 * the condition Debezium is given for {@code --where}, and how many rows (documents) that selects, for progress.
 */
public interface SnapshotSource {
    /** Names operators use ({@code customers}, {@code orders}) to Debezium's data collections ({@code public.customers}). */
    Map<String, String> collections();

    /** The {@code additional-conditions} filter Debezium takes for {@code where}, as operators write it. */
    String condition(String dataCollection, String where);

    /** How many rows (documents) of {@code dataCollection} the snapshot reads under {@code where} (null: all); -1 when unknown. */
    long count(String dataCollection, String where);

    /** Readies the source for snapshots before capture starts (a signal table created); best effort. */
    default void prepare() {
    }
}
