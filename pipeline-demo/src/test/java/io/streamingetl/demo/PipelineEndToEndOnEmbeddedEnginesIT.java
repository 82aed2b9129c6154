package io.streamingetl.demo;

import io.streamingetl.localstack.Engines;
import io.streamingetl.testkit.junit.EmbeddedEnginesExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedEnginesExtension.class)
class PipelineEndToEndOnEmbeddedEnginesIT extends PipelineEndToEndScenarios {
    PipelineEndToEndOnEmbeddedEnginesIT(Engines engines) {
        super(engines);
    }
}
