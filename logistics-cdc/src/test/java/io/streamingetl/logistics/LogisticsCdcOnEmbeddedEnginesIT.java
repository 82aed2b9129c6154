package io.streamingetl.logistics;

import io.streamingetl.localstack.Engines;
import io.streamingetl.testkit.junit.EmbeddedEnginesExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedEnginesExtension.class)
class LogisticsCdcOnEmbeddedEnginesIT extends LogisticsCdcScenarios {
    LogisticsCdcOnEmbeddedEnginesIT(Engines engines) {
        super(engines);
    }
}
