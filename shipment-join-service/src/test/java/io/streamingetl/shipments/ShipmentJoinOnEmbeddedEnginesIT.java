package io.streamingetl.shipments;

import io.streamingetl.localstack.Engines;
import io.streamingetl.testkit.junit.EmbeddedEnginesExtension;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(EmbeddedEnginesExtension.class)
class ShipmentJoinOnEmbeddedEnginesIT extends ShipmentJoinScenarios {
    ShipmentJoinOnEmbeddedEnginesIT(Engines engines) {
        super(engines);
    }
}
