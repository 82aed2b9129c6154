package io.streamingetl.testkit.junit;

import io.streamingetl.localstack.EmbeddedEngines;
import io.streamingetl.localstack.SearchEngineKind;

/**
 * The engines running in this JVM with OpenSearch as the search engine: the same Kafka, Postgres, registry and
 * stand-in as {@link EmbeddedEnginesExtension}'s, so a scenario's twin on OpenSearch costs only the node.
 */
public final class OpenSearchEnginesExtension extends EnginesResolver {
    public OpenSearchEnginesExtension() {
        super(EmbeddedEngines.class, EmbeddedEngines::onFreePorts,
                engines -> ((EmbeddedEngines) engines).withSearchEngine(SearchEngineKind.OPENSEARCH));
    }
}
