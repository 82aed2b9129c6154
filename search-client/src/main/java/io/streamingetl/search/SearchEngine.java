package io.streamingetl.search;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The engine behind {@code ES_URL}, as its root ({@code GET /}) says: Elasticsearch or OpenSearch, and which
 * version. The sink writes to Elasticsearch 7.10 to 9.x and OpenSearch 2.x to 3.x; others are refused at start.
 * OpenSearch Serverless has no root endpoint: it is taken as such when signing for {@code aoss}.
 */
public record SearchEngine(Flavor flavor, int major, int minor, String version) {
    private static final Pattern NUMBER = Pattern.compile("(\\d+)\\.(\\d+)");

    public enum Flavor {
        ELASTICSEARCH("Elasticsearch"), OPENSEARCH("OpenSearch");

        private final String displayName;

        Flavor(String displayName) {
            this.displayName = displayName;
        }

        public String displayName() {
            return displayName;
        }
    }

    /** OpenSearch Serverless: no {@code GET /}, OpenSearch's API. */
    public static final SearchEngine SERVERLESS = new SearchEngine(Flavor.OPENSEARCH, 2, 0, "serverless");

    /** The engine a root answer describes; {@link UnsupportedEngineException} when it names none. */
    public static SearchEngine fromRoot(JsonNode root) {
        JsonNode version = root.path("version");
        Matcher number = NUMBER.matcher(version.path("number").asText(""));
        if (!number.lookingAt()) {
            throw new UnsupportedEngineException("its root answer has no version number: " + root);
        }
        Flavor flavor = "opensearch".equalsIgnoreCase(version.path("distribution").asText(""))
                ? Flavor.OPENSEARCH : Flavor.ELASTICSEARCH;
        return new SearchEngine(flavor, Integer.parseInt(number.group(1)), Integer.parseInt(number.group(2)),
                version.path("number").asText());
    }

    public boolean supported() {
        return switch (flavor) {
            case ELASTICSEARCH -> (major == 7 && minor >= 10) || major == 8 || major == 9;
            case OPENSEARCH -> major == 2 || major == 3;
        };
    }

    /** Refuses an engine the sink does not write to, in one line saying which ones it does. */
    public SearchEngine requireSupported() {
        if (!supported()) {
            throw new UnsupportedEngineException(this + " is not supported: the sink writes to Elasticsearch 7.10 to 9.x "
                    + "and OpenSearch 2.x to 3.x (ES_URL)");
        }
        return this;
    }

    public String name() {
        return flavor.displayName();
    }

    @Override
    public String toString() {
        return flavor.displayName() + " " + version;
    }

    /** An engine (or an answer) the sink cannot write to. */
    public static final class UnsupportedEngineException extends IllegalStateException {
        public UnsupportedEngineException(String message) {
            super(message);
        }
    }
}
