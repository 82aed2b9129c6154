package io.streamingetl.logistics;

import io.streamingetl.localstack.Engines;
import io.streamingetl.testkit.junit.ContainerEnginesExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ContainerEnginesExtension.class)
class LogisticsCdcOnContainersIT extends LogisticsCdcScenarios {
    LogisticsCdcOnContainersIT(Engines engines) {
        super(engines);
    }
}
