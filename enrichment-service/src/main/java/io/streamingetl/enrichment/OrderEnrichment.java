package io.streamingetl.enrichment;

import io.streamingetl.avro.Customer;
import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.Order;

/** An order with its customer's fields; an unknown customer leaves them null (a left join, as in ksqlDB). */
public final class OrderEnrichment {
    private OrderEnrichment() {
    }

    public static EnrichedOrder enrich(Order order, Customer customer) {
        return EnrichedOrder.newBuilder()
                .setOrderId(order.getOrderId())
                .setCustomerId(order.getCustomerId())
                .setCustomerName(customer == null ? null : customer.getName())
                .setCustomerAge(customer == null ? null : customer.getAge())
                .setPrice(order.getPrice())
                .setCurrency(order.getCurrency())
                .setTs(order.getTs())
                .build();
    }
}
