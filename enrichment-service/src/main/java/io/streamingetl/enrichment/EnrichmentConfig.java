package io.streamingetl.enrichment;

import io.streamingetl.runtime.PipelineTopics;
import io.streamingetl.runtime.Settings;

/** What the enrichment topology needs: where customers and orders come from and where enriched orders go. */
public record EnrichmentConfig(String customersTopic, String ordersTopic, String enrichedOrdersTopic) {

    public static EnrichmentConfig from(Settings settings) {
        PipelineTopics topics = PipelineTopics.from(settings);
        return new EnrichmentConfig(topics.customers(), topics.orders(), topics.enrichedOrders());
    }

    public static EnrichmentConfig defaults() {
        return from(new Settings(java.util.Map.of()));
    }
}
