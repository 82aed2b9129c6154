package io.streamingetl.enrichment;

import io.streamingetl.localstack.Engines;
import io.streamingetl.testkit.junit.ContainerEnginesExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ContainerEnginesExtension.class)
class EnrichmentOnContainersIT extends EnrichmentScenarios {
    EnrichmentOnContainersIT(Engines engines) {
        super(engines);
    }
}
