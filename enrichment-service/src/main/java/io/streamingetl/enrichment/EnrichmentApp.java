package io.streamingetl.enrichment;

import io.streamingetl.runtime.Service;
import io.streamingetl.runtime.ServiceLauncher;
import io.streamingetl.runtime.ServiceRuntime;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.StreamsService;
import java.util.Map;

/** enrichment-service: orders left-joined to their customers, until stopped. Health and metrics on 8083. */
public final class EnrichmentApp {
    public static final Service.Definition SERVICE = new Service.Definition("enrichment-service", 8083, EnrichmentApp::create);

    private EnrichmentApp() {
    }

    public static void main(String[] args) {
        ServiceLauncher.main(SERVICE);
    }

    static Service create(Settings settings, ServiceRuntime runtime) {
        EnrichmentConfig config = EnrichmentConfig.from(settings);
        return StreamsService.create(settings, runtime, config, EnrichmentTopology.build(config), Map.of());
    }
}
