package io.streamingetl.cli;

import java.util.HashMap;
import java.util.Map;

/**
 * The documents a topic makes, counted as the engine keeps them: per key the write of the highest version, of equal
 * versions the later one ({@code external_gte}, as {@code NewestWrites} cuts a batch), a tombstone deleting it and a
 * rejected write leaving nothing. What a rebuilt index must hold before the alias may move to it.
 */
final class LiveKeys {
    /** A key's winning write so far. */
    private record Winner(long version, boolean deleted, boolean rejected) {
    }

    private final Map<String, Winner> byKey = new HashMap<>();

    /** A write read from the topic, in offset order: a document, or when {@code deleted} a tombstone. */
    void write(String key, long version, boolean deleted) {
        Winner held = byKey.get(key);
        if (held == null || version >= held.version()) {
            byKey.put(key, new Winner(version, deleted, false));
        }
    }

    /** The engine rejected the write of {@code key} at {@code version}: it is no document, unless a newer one won. */
    void rejected(String key, long version) {
        Winner held = byKey.get(key);
        if (held != null && held.version() == version && !held.deleted()) {
            byKey.put(key, new Winner(version, false, true));
        }
    }

    /** Keys whose winning write is a document the engine took: the documents the index must hold. */
    long expected() {
        return byKey.values().stream().filter(w -> !w.deleted() && !w.rejected()).count();
    }

    /** Keys whose winning write the engine rejected. */
    long rejected() {
        return byKey.values().stream().filter(Winner::rejected).count();
    }
}
