package io.streamingetl.shipments;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamingetl.runtime.Health;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.StreamsService;
import io.streamingetl.runtime.TopologyWarmup;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShipmentJoinWarmupTest {
    private static final Settings SETTINGS = new Settings(Map.of("SCHEMA_REGISTRY_URL", "mock://join-warm-up"));

    @Test
    void everyRoundOfAnOrderAndItsShipmentGoesThroughACopyOfTheTopology() {
        ShipmentJoinConfig config = ShipmentJoinConfig.from(SETTINGS);
        TopologyWarmup warmup = new TopologyWarmup(() -> ShipmentJoinTopology.build(config),
                driver -> new ShipmentJoinWarmup(driver, config));

        int ran = warmup.run("shipment-join-service", 2_500, new Health(),
                StreamsService.properties(SETTINGS, "shipment-join-service", new SimpleMeterRegistry()));

        assertThat(ran).isEqualTo(2_500);
    }
}
