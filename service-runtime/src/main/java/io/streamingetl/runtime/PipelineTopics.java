package io.streamingetl.runtime;

import io.streamingetl.contract.Topics;

/** The topic names as set for this deployment: each a setting whose default is the contract's name. */
public record PipelineTopics(String customers, String orders, String shipments, String enrichedOrders,
                             String shippedOrders) {

    public static PipelineTopics defaults() {
        return new PipelineTopics(Topics.CUSTOMERS, Topics.ORDERS, Topics.SHIPMENTS, Topics.ENRICHED_ORDERS,
                Topics.SHIPPED_ORDERS);
    }

    public static PipelineTopics from(Settings settings) {
        return new PipelineTopics(
                topic(settings, "CUSTOMERS_TOPIC", Topics.CUSTOMERS),
                topic(settings, "ORDERS_TOPIC", Topics.ORDERS),
                topic(settings, "SHIPMENTS_TOPIC", Topics.SHIPMENTS),
                topic(settings, "ENRICHED_ORDERS_TOPIC", Topics.ENRICHED_ORDERS),
                topic(settings, "SHIPPED_ORDERS_TOPIC", Topics.SHIPPED_ORDERS));
    }

    private static String topic(Settings settings, String key, String defaultName) {
        String name = settings.string(key, defaultName);
        if (!name.matches("[a-zA-Z0-9._-]{1,249}")) {
            throw new SettingsException(key, "is '" + name + "', not a legal Kafka topic name");
        }
        return name;
    }
}
