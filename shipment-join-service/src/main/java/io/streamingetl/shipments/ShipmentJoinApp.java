package io.streamingetl.shipments;

import io.streamingetl.runtime.StreamsService;

/** shipment-join-service: enriched orders joined with their shipments, until stopped. Health and metrics on 8084. */
public final class ShipmentJoinApp {
    private ShipmentJoinApp() {
    }

    public static void main(String[] args) {
        StreamsService.main("shipment-join-service", 8084, ShipmentJoinConfig::from, ShipmentJoinTopology::build,
                ShipmentJoinConfig::streamsProperties);
    }
}
