package io.streamingetl.shipments;

import io.streamingetl.contract.PipelineService;
import io.streamingetl.runtime.Service;
import io.streamingetl.runtime.ServiceLauncher;
import io.streamingetl.runtime.ServiceRuntime;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.StreamsService;
import io.streamingetl.runtime.TopologyWarmup;

/** shipment-join-service: enriched orders joined with their shipments, until stopped. Health and metrics on 8084. */
public final class ShipmentJoinApp {
    public static final Service.Definition SERVICE =
            new Service.Definition(PipelineService.SHIPMENT_JOIN, ShipmentJoinApp::create);

    private ShipmentJoinApp() {
    }

    public static void main(String[] args) {
        ServiceLauncher.main(SERVICE);
    }

    static Service create(Settings settings, ServiceRuntime runtime) {
        ShipmentJoinConfig config = ShipmentJoinConfig.from(settings);
        return StreamsService.create(settings, runtime, config, ShipmentJoinTopology.build(config), config.streamsProperties(),
                new TopologyWarmup(() -> ShipmentJoinTopology.build(config), driver -> new ShipmentJoinWarmup(driver, config)));
    }
}
