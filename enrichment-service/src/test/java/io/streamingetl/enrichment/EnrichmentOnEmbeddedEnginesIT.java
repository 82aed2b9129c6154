package io.streamingetl.enrichment;

import io.streamingetl.localstack.Engines;
import io.streamingetl.testkit.junit.EmbeddedEnginesExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedEnginesExtension.class)
class EnrichmentOnEmbeddedEnginesIT extends EnrichmentScenarios {
    EnrichmentOnEmbeddedEnginesIT(Engines engines) {
        super(engines);
    }
}
