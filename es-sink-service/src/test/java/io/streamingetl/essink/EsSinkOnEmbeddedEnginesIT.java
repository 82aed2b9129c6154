package io.streamingetl.essink;

import io.streamingetl.localstack.Engines;
import io.streamingetl.testkit.junit.EmbeddedEnginesExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedEnginesExtension.class)
class EsSinkOnEmbeddedEnginesIT extends EsSinkScenarios {
    EsSinkOnEmbeddedEnginesIT(Engines engines) throws Exception {
        super(engines);
    }
}
