package io.streamingetl.enrichment;

import io.streamingetl.runtime.PipelineService;
import io.streamingetl.runtime.Service;
import io.streamingetl.runtime.ServiceLauncher;
import io.streamingetl.runtime.ServiceRuntime;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.StreamsService;
import java.util.Map;

/**
 * enrichment-service: orders left-joined to their customers, until stopped. Health, metrics and the pull query
 * on the customer table ({@code /customers/<id>}) on 8083.
 */
public final class EnrichmentApp {
    public static final Service.Definition SERVICE = new Service.Definition(PipelineService.ENRICHMENT, EnrichmentApp::create);

    private EnrichmentApp() {
    }

    public static void main(String[] args) {
        ServiceLauncher.main(SERVICE);
    }

    static Service create(Settings settings, ServiceRuntime runtime) {
        EnrichmentConfig config = EnrichmentConfig.from(settings);
        StreamsService service = StreamsService.create(settings, runtime, config, EnrichmentTopology.build(config), Map.of());
        runtime.route(CustomerQuery.PATH, new CustomerQuery(service::streams)::answer);
        return service;
    }
}
