package io.streamingetl.essink;

import io.streamingetl.localstack.Engines;
import io.streamingetl.testkit.junit.EmbeddedEnginesExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedEnginesExtension.class)
/** The sink's scenarios on a real Elasticsearch 7.10 node. */
class EsSinkOnElasticsearchIT extends EsSinkScenarios {
    EsSinkOnElasticsearchIT(Engines engines) throws Exception {
        super(engines);
    }
}
