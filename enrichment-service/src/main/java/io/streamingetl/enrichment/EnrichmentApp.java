package io.streamingetl.enrichment;

import io.streamingetl.runtime.StreamsService;

/** enrichment-service: orders left-joined to their customers, until stopped. Health and metrics on 8083. */
public final class EnrichmentApp {
    private EnrichmentApp() {
    }

    public static void main(String[] args) {
        StreamsService.main("enrichment-service", 8083, EnrichmentConfig::from, EnrichmentTopology::build);
    }
}
