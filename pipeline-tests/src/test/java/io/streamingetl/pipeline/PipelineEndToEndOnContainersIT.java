package io.streamingetl.pipeline;

import io.streamingetl.localstack.Engines;
import io.streamingetl.testkit.junit.ContainerEnginesExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ContainerEnginesExtension.class)
@ExtendWith(Pipelines.class)
class PipelineEndToEndOnContainersIT extends PipelineEndToEndScenarios {
    PipelineEndToEndOnContainersIT(Engines engines, Pipelines.Shared shared) {
        super(engines, shared);
    }
}
