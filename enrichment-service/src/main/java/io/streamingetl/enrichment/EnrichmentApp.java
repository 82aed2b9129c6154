package io.streamingetl.enrichment;

import io.streamingetl.contract.PipelineService;
import io.streamingetl.runtime.Service;
import io.streamingetl.runtime.ServiceLauncher;
import io.streamingetl.runtime.ServiceRuntime;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.StreamsService;
import io.streamingetl.runtime.TopologyWarmup;
import java.util.Map;
import java.util.Set;

/**
 * enrichment-service: orders left-joined to their customers, until stopped. Health, metrics and the pull query
 * on the customer table ({@code /customers/<id>}, for the operator's token) on 8083.
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
        StreamsService service = StreamsService.create(settings, runtime, config, EnrichmentTopology.build(config), Map.of(),
                new TopologyWarmup(() -> EnrichmentTopology.build(config), driver -> new EnrichmentWarmup(driver, config)));
        CustomerQuery query = new CustomerQuery(service::streams);
        runtime.operatorRoute(CustomerQuery.PATH, Set.of("GET"), query::answer);
        runtime.route(CustomerQuery.KNOWN_PATH, query::known);
        return service;
    }
}
