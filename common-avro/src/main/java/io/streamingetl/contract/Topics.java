package io.streamingetl.contract;

import io.streamingetl.avro.Customer;
import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.Order;
import io.streamingetl.avro.Shipment;
import io.streamingetl.avro.ShippedOrder;
import java.util.List;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The pipeline's topics as in the contract (docs/PIPELINE.md): keys are UTF-8 strings, values the Avro
 * record of each. Services read each name from the topic's setting, whose default is the name here.
 */
public final class Topics {
    public static final Topic<String, Customer> CUSTOMERS =
            avro("CUSTOMERS_TOPIC", "customers.public.customers", Customer.class);
    public static final Topic<String, Order> ORDERS =
            avro("ORDERS_TOPIC", "my-replica-set.logistics.orders", Order.class);
    public static final Topic<String, Shipment> SHIPMENTS =
            avro("SHIPMENTS_TOPIC", "my-replica-set.logistics.shipments", Shipment.class);
    public static final Topic<String, EnrichedOrder> ENRICHED_ORDERS =
            avro("ENRICHED_ORDERS_TOPIC", "enriched_orders", EnrichedOrder.class);
    public static final Topic<String, ShippedOrder> SHIPPED_ORDERS =
            avro("SHIPPED_ORDERS_TOPIC", "shipped_orders", ShippedOrder.class);

    /** The pipeline's topics in the order changes flow through them. */
    public static final List<Topic<String, ?>> ALL = List.of(CUSTOMERS, ORDERS, SHIPMENTS, ENRICHED_ORDERS, SHIPPED_ORDERS);

    /** The suffix of every dead-letter topic: a record read from {@code t} that cannot be handled goes to {@code t.dlq}. */
    public static final String DEAD_LETTER_SUFFIX = ".dlq";

    private Topics() {
    }

    public static String deadLetterOf(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }

    private static <V extends SpecificRecord> Topic<String, V> avro(String setting, String name, Class<V> type) {
        return new Topic<>(setting, name, Serdes::String, (registry, subject) -> AvroSerde.of(type, registry, subject),
                SpecificData.get().getSchema(type), null);
    }
}
