package io.streamingetl.search;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The index searches use, by its name: an alias over a versioned index ({@code shipped_orders} over
 * {@code shipped_orders_v1}), so that a rebuild can fill {@code _v2} and swap the alias in one call with no moment
 * where searches see a half-filled index. Writes go to the name, whichever it is. A concrete index of that name
 * (made before the alias came, or by hand) keeps working.
 */
public final class VersionedIndex {
    private static final Pattern VERSION = Pattern.compile("_v(\\d+)$");

    /** What {@code name} is now: an alias over {@code target}, or the concrete index {@code target} itself. */
    public record State(String name, String target, boolean alias) {
        /** The version of the index behind the alias: 1 for {@code _v1}, 0 for a concrete index or another name. */
        public int version() {
            Matcher m = VERSION.matcher(target);
            return alias && m.find() ? Integer.parseInt(m.group(1)) : 0;
        }

        /** The next versioned index: {@code <name>_v<N+1>}. */
        public String next() {
            return name + "_v" + (version() + 1);
        }
    }

    private VersionedIndex() {
    }

    /** What {@code name} is; null when neither an alias nor an index has that name. */
    public static State describe(SearchClient client, String name) throws IOException {
        SearchClient.Answer answer = client.get("/" + name + "/_alias");
        if (answer.status() == 404) {
            return null;
        }
        if (!answer.ok()) {
            throw new BulkWriter.RefusedException(answer.status(), "GET /" + name + "/_alias answered " + answer.error());
        }
        // Keyed by the concrete index: the name itself when it is one, the index behind it when it is an alias.
        Iterator<String> indices = answer.json().fieldNames();
        String target = indices.next();
        if (indices.hasNext()) {
            throw new IllegalStateException("the alias " + name + " points at several indices " + List.of(answer.json().fieldNames())
                    + ": writes need one; point it at one index");
        }
        return new State(name, target, !target.equals(name));
    }

    /**
     * {@code name} ready to be written: when neither an alias nor an index has that name, {@code <name>_v1} is
     * created with {@code mapping} and the alias (another instance doing the same at the same time is fine).
     */
    public static State ensure(SearchClient client, String name, Map<String, Object> mapping) throws IOException {
        State state = describe(client, name);
        if (state != null) {
            return state;
        }
        String first = name + "_v1";
        SearchClient.Answer created = client.send("PUT", "/" + first, Map.of("mappings", mapping, "aliases", Map.of(name, Map.of())));
        if (!created.ok() && !isAlreadyThere(created)) {
            throw new BulkWriter.RefusedException(created.status(), "creating " + first + " answered " + created.error());
        }
        return describe(client, name);
    }

    /** Creates {@code index} with {@code mapping}; false when it exists already. */
    public static boolean create(SearchClient client, String index, Map<String, Object> mapping) throws IOException {
        return createWith(client, index, Map.of("mappings", mapping));
    }

    /** Creates {@code index} from a whole body ({@code mappings}, {@code settings}); false when it exists already. */
    public static boolean createWith(SearchClient client, String index, Map<String, Object> body) throws IOException {
        SearchClient.Answer created = client.send("PUT", "/" + index, body);
        if (isAlreadyThere(created)) {
            return false;
        }
        if (!created.ok()) {
            throw new BulkWriter.RefusedException(created.status(), "creating " + index + " answered " + created.error());
        }
        return true;
    }

    /**
     * Points {@code state}'s name at {@code to} in one {@code _aliases} call: searches see the old index, then the
     * new one, never neither. A concrete index of that name is removed in the same call, the alias taking its name.
     */
    public static void swap(SearchClient client, State state, String to) throws IOException {
        swap(client, state, to, Map.of());
    }

    /**
     * {@link #swap(SearchClient, State, String)}, moving {@code otherAliases} (name to the alias's body: filter,
     * routing, is_hidden) from the old index to {@code to} in the same call, so none of them ever sees both.
     */
    public static void swap(SearchClient client, State state, String to, Map<String, Map<String, Object>> otherAliases)
            throws IOException {
        List<Map<String, Object>> actions = new ArrayList<>();
        actions.add(state.alias()
                ? Map.of("remove", Map.of("index", state.target(), "alias", state.name()))
                : Map.of("remove_index", Map.of("index", state.target())));
        actions.add(Map.of("add", Map.of("index", to, "alias", state.name())));
        otherAliases.forEach((alias, body) -> {
            if (state.alias()) {
                actions.add(Map.of("remove", Map.of("index", state.target(), "alias", alias)));
            }
            Map<String, Object> add = new LinkedHashMap<>(body);
            add.put("index", to);
            add.put("alias", alias);
            actions.add(Map.of("add", add));
        });
        SearchClient.Answer swapped = client.send("POST", "/_aliases", Map.of("actions", actions));
        if (!swapped.ok()) {
            throw new BulkWriter.RefusedException(swapped.status(), "swapping " + state.name() + " to " + to + " answered "
                    + swapped.error());
        }
    }

    private static boolean isAlreadyThere(SearchClient.Answer answer) {
        JsonNode type = answer.json().path("error").path("type");
        return answer.status() == 400 && type.asText().equals("resource_already_exists_exception");
    }
}
