package io.streamingetl.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.streamingetl.search.BulkWriter;
import io.streamingetl.search.SearchClient;
import io.streamingetl.search.VersionedIndex;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a rebuilt index is made like: the old index's settings (its shards, analysis, default ingest pipeline, ...) less
 * those only the engine sets or that hold the old one's state (its uuid, creation date, version, write blocks), over
 * them the given ones; the old index's mapping unless another is given; and its other aliases (not write aliases),
 * moved to the new index in the swap.
 */
record IndexBlueprint(Map<String, Object> settings, Map<String, Object> mappings, Map<String, Map<String, Object>> otherAliases) {
    /** Settings an index cannot be created with, or that are the old index's state rather than its design. */
    static final List<String> NOT_COPIED = List.of("index.uuid", "index.creation_date", "index.provided_name",
            "index.version.", "index.resize.", "index.routing.allocation.initial_recovery.", "index.blocks.",
            "index.history.uuid", "index.verified_before_close", "index.shrink.", "index.split.", "index.frozen");

    /**
     * The old index {@code state} points at, described; {@code given} ({@code mappings} and {@code settings}, either
     * may be absent) over it.
     */
    static IndexBlueprint of(SearchClient client, VersionedIndex.State state, Map<String, Object> given) throws IOException {
        String old = state.target();
        Map<String, Object> settings = new LinkedHashMap<>();
        read(client, "/" + old + "/_settings?flat_settings=true").path(old).path("settings").fields().forEachRemaining(e -> {
            if (copied(e.getKey())) {
                settings.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asText() : e.getValue());
            }
        });
        if (given.get("settings") instanceof Map<?, ?> more) {
            more.forEach((key, value) -> settings.put(String.valueOf(key), value));
        }
        Map<String, Object> mappings = given.get("mappings") instanceof Map<?, ?> m ? cast(m)
                : RecordJson.JSON.convertValue(read(client, "/" + old + "/_mapping").path(old).path("mappings"), new TypeReference<>() { });
        Map<String, Map<String, Object>> aliases = new LinkedHashMap<>();
        read(client, "/" + old + "/_alias").path(old).path("aliases").fields().forEachRemaining(e -> {
            if (!e.getKey().equals(state.name()) && !e.getValue().path("is_write_index").asBoolean(false)) {
                aliases.put(e.getKey(), RecordJson.JSON.convertValue(e.getValue(), new TypeReference<>() { }));
            }
        });
        return new IndexBlueprint(settings, mappings, aliases);
    }

    static boolean copied(String setting) {
        return NOT_COPIED.stream().noneMatch(setting::startsWith);
    }

    /** The body the new index is created with. */
    Map<String, Object> body() {
        return Map.of("settings", settings, "mappings", mappings);
    }

    private static JsonNode read(SearchClient client, String path) throws IOException {
        SearchClient.Answer answer = client.get(path);
        if (!answer.ok()) {
            throw new BulkWriter.RefusedException(answer.status(), "GET " + path + " answered " + answer.error());
        }
        return answer.json();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }
}
