package io.streamingetl.essink;

import io.streamingetl.contract.PipelineService;
import io.streamingetl.runtime.Service;
import io.streamingetl.runtime.ServiceLauncher;
import io.streamingetl.runtime.ServiceRuntime;
import io.streamingetl.runtime.Settings;

/** es-sink-service: shipped_orders into Elasticsearch, until stopped. Health and metrics on 8085. */
public final class EsSinkApp {
    public static final Service.Definition SERVICE = new Service.Definition(PipelineService.ES_SINK, EsSinkApp::create);

    private EsSinkApp() {
    }

    public static void main(String[] args) {
        ServiceLauncher.main(SERVICE);
    }

    static Service create(Settings settings, ServiceRuntime runtime) {
        return new ShippedOrderSink(EsSinkConfig.from(settings), runtime.registry(), runtime.health(),
                runtime.controlTimeout());
    }
}
