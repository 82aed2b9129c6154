package io.streamingetl.pipeline;

import io.streamingetl.localstack.Engines;
import io.streamingetl.testkit.junit.EmbeddedEnginesExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedEnginesExtension.class)
@ExtendWith(Pipelines.class)
/** The tutorial end to end with Elasticsearch 7.10 as the search engine. */
class PipelineEndToEndOnElasticsearchIT extends PipelineEndToEndScenarios {
    PipelineEndToEndOnElasticsearchIT(Engines engines, Pipelines.Shared shared) {
        super(engines, shared);
    }
}
