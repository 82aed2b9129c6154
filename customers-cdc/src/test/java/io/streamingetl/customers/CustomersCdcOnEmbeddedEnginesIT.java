package io.streamingetl.customers;

import io.streamingetl.localstack.Engines;
import io.streamingetl.testkit.junit.EmbeddedEnginesExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedEnginesExtension.class)
class CustomersCdcOnEmbeddedEnginesIT extends CustomersCdcScenarios {
    CustomersCdcOnEmbeddedEnginesIT(Engines engines) {
        super(engines);
    }
}
