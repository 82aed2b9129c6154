package io.streamingetl.essink;

import io.streamingetl.localstack.Engines;
import io.streamingetl.testkit.junit.ContainerEnginesExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ContainerEnginesExtension.class)
class EsSinkOnContainersIT extends EsSinkScenarios {
    EsSinkOnContainersIT(Engines engines) throws Exception {
        super(engines);
    }
}
