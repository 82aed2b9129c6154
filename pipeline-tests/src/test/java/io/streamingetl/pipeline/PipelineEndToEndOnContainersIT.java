package io.streamingetl.pipeline;

import io.streamingetl.localstack.Engines;
import io.streamingetl.testkit.junit.ContainerEnginesExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ContainerEnginesExtension.class)
class PipelineEndToEndOnContainersIT extends PipelineEndToEndScenarios {
    PipelineEndToEndOnContainersIT(Engines engines) {
        super(engines);
    }
}
