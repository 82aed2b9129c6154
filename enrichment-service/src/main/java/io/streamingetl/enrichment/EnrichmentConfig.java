package io.streamingetl.enrichment;

import io.streamingetl.avro.Customer;
import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.Order;
import io.streamingetl.contract.Topic;
import io.streamingetl.contract.Topics;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.StreamsService;
import java.util.List;

/** What the enrichment topology needs: where customers and orders come from and where enriched orders go. */
public record EnrichmentConfig(Topic<String, Customer> customers, Topic<String, Order> orders,
                               Topic<String, EnrichedOrder> enrichedOrders) implements StreamsService.UsesTopics {

    public static EnrichmentConfig from(Settings settings) {
        return new EnrichmentConfig(settings.topic(Topics.CUSTOMERS), settings.topic(Topics.ORDERS),
                settings.topic(Topics.ENRICHED_ORDERS));
    }

    @Override
    public List<Topic<String, ?>> topics() {
        return List.of(customers, orders, enrichedOrders);
    }
}
