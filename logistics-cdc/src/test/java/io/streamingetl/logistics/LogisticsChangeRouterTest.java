package io.streamingetl.logistics;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingetl.contract.Topics;
import io.streamingetl.runtime.Settings;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

class LogisticsChangeRouterTest {
    private final LogisticsCdcConfig config = LogisticsCdcConfig.from(
            Settings.from(Map.of("SCHEMA_REGISTRY_URL", "mock://logistics-router-test")));
    private final LogisticsChangeRouter router = new LogisticsChangeRouter(config);

    @Test
    void itsWarmUpChangesAreAnOrderAndItsShipmentOfTheCapturedCollections() throws Exception {
        List<ProducerRecord<byte[], byte[]>> order = router.route(router.warmUpChanges(7).get(0));
        List<ProducerRecord<byte[], byte[]>> shipment = router.route(router.warmUpChanges(7).get(1));

        assertThat(order).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo(Topics.ORDERS.name());
            assertThat(config.orders().deserializeValue(r.value()).getOrderId()).isEqualTo("warm-up-7");
        });
        assertThat(shipment).singleElement().satisfies(r -> {
            assertThat(r.topic()).isEqualTo(Topics.SHIPMENTS.name());
            assertThat(config.shipments().deserializeValue(r.value()).getOrderId()).isEqualTo("warm-up-7");
        });
    }
}
