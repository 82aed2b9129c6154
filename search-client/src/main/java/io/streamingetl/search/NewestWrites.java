package io.streamingetl.search;

import io.streamingetl.search.BulkWriter.Write;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one rule for the writes of a batch: per document, the write of the highest version wins, and of equal versions
 * the later one (records in offset order). An old record replayed into the same batch as a newer one (a sink
 * backlogged by an outage or a pause, a topic that gained partitions) therefore never drops the newer write; by
 * offset alone it would, for good, as the engine never sees the newer one. The sink and {@code ./pipeline reindex}
 * both cut their batches with it.
 */
public final class NewestWrites<S> {
    private final Map<String, Write<S>> byId = new LinkedHashMap<>();

    /** Takes {@code write} unless a write of the same document with a higher version came before it in the batch. */
    public void add(Write<S> write) {
        Write<S> held = byId.get(write.id());
        if (held == null || write.version() >= held.version()) {
            byId.put(write.id(), write);
        }
    }

    /** How many documents the batch writes. */
    public int size() {
        return byId.size();
    }

    /** One write per document, and the batch left empty. */
    public List<Write<S>> cut() {
        List<Write<S>> writes = new ArrayList<>(byId.values());
        byId.clear();
        return writes;
    }

    /** The writes of {@code writes} that count, one per document. */
    public static <S> List<Write<S>> of(List<Write<S>> writes) {
        NewestWrites<S> newest = new NewestWrites<>();
        writes.forEach(newest::add);
        return newest.cut();
    }
}
