package io.streamingetl.contract;

import io.streamingetl.avro.Customer;
import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.Order;
import io.streamingetl.avro.Shipment;
import io.streamingetl.avro.ShippedOrder;

/** The serde of each topic's value type; keys are plain UTF-8 strings (Kafka's {@code Serdes.String()}). */
public final class PipelineSerdes {
    private PipelineSerdes() {
    }

    public static AvroSerde<Customer> customer() {
        return AvroSerde.of(Customer.class);
    }

    public static AvroSerde<Order> order() {
        return AvroSerde.of(Order.class);
    }

    public static AvroSerde<Shipment> shipment() {
        return AvroSerde.of(Shipment.class);
    }

    public static AvroSerde<EnrichedOrder> enrichedOrder() {
        return AvroSerde.of(EnrichedOrder.class);
    }

    public static AvroSerde<ShippedOrder> shippedOrder() {
        return AvroSerde.of(ShippedOrder.class);
    }
}
