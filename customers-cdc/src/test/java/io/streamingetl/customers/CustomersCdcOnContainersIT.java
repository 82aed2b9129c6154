package io.streamingetl.customers;

import io.streamingetl.localstack.Engines;
import io.streamingetl.testkit.junit.ContainerEnginesExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ContainerEnginesExtension.class)
class CustomersCdcOnContainersIT extends CustomersCdcScenarios {
    CustomersCdcOnContainersIT(Engines engines) {
        super(engines);
    }
}
