package io.streamingetl.localstack;

import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.SettingsException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** The search engines the local stack runs, from Maven Central: {@code DEMO_SEARCH_ENGINE=elasticsearch|opensearch}. */
public enum SearchEngineKind {
    ELASTICSEARCH("Elasticsearch 7.10.2", "a real node, in-process"),
    OPENSEARCH("OpenSearch 2.19.1", "a real node, its own process");

    private final String displayName;
    private final String how;

    SearchEngineKind(String displayName, String how) {
        this.displayName = displayName;
        this.how = how;
    }

    public String displayName() {
        return displayName;
    }

    /** The engine's family name as it says it: Elasticsearch, OpenSearch. */
    public String family() {
        return displayName.substring(0, displayName.indexOf(' '));
    }

    public String how() {
        return how;
    }

    /** {@code DEMO_SEARCH_ENGINE}: elasticsearch (the default) or opensearch, for the demo, the benchmark and tests. */
    public static SearchEngineKind from(Settings settings) {
        String name = settings.string("DEMO_SEARCH_ENGINE", "elasticsearch");
        SearchEngineKind kind = named(name);
        if (kind == null) {
            throw new SettingsException("DEMO_SEARCH_ENGINE", "is '" + name + "', must be elasticsearch or opensearch");
        }
        return kind;
    }

    /** {@code elasticsearch} or {@code opensearch}; null when {@code name} is neither. */
    public static SearchEngineKind named(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "elasticsearch" -> ELASTICSEARCH;
            case "opensearch" -> OPENSEARCH;
            default -> null;
        };
    }

    /**
     * Starts a node on {@code httpPort} (0: a free one) keeping its data in {@code home} (null: a temporary
     * directory), with {@code settings} beside the local stack's.
     */
    SearchNode start(int httpPort, Path home, Map<String, String> settings) {
        return this == ELASTICSEARCH ? ElasticsearchEngine.start(httpPort, home, settings)
                : OpenSearchEngine.start(httpPort, home, settings);
    }
}
