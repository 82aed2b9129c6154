package io.streamingetl.shipments;

import io.streamingetl.localstack.Engines;
import io.streamingetl.testkit.junit.ContainerEnginesExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(ContainerEnginesExtension.class)
class ShipmentJoinOnContainersIT extends ShipmentJoinScenarios {
    ShipmentJoinOnContainersIT(Engines engines) {
        super(engines);
    }
}
