package io.streamingetl.pipeline;

import io.streamingetl.localstack.Engines;
import io.streamingetl.testkit.junit.OpenSearchEnginesExtension;
import org.junit.jupiter.api.extension.ExtendWith;

/** The tutorial end to end with OpenSearch 2.19 as the search engine. */
@ExtendWith(OpenSearchEnginesExtension.class)
@ExtendWith(Pipelines.class)
class PipelineEndToEndOnOpenSearchIT extends PipelineEndToEndScenarios {
    PipelineEndToEndOnOpenSearchIT(Engines engines, Pipelines.Shared shared) {
        super(engines, shared);
    }
}
