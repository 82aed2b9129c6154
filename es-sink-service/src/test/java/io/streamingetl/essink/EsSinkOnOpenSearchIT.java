package io.streamingetl.essink;

import io.streamingetl.localstack.Engines;
import io.streamingetl.testkit.junit.OpenSearchEnginesExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The sink's scenarios on a real OpenSearch 2.19 node. */
@ExtendWith(OpenSearchEnginesExtension.class)
class EsSinkOnOpenSearchIT extends EsSinkScenarios {
    EsSinkOnOpenSearchIT(Engines engines) throws Exception {
        super(engines);
    }
}
