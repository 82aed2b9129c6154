package io.streamingetl.shipments;

import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.Shipment;
import io.streamingetl.avro.ShippedOrder;

/** An enriched order and one of its shipments, as one shipped order. */
public final class ShipmentJoin {
    private ShipmentJoin() {
    }

    public static ShippedOrder ship(EnrichedOrder order, Shipment shipment) {
        return ShippedOrder.newBuilder()
                .setOrderId(order.getOrderId())
                .setShipmentId(shipment.getShipmentId())
                .setCustomerId(order.getCustomerId())
                .setCustomerName(order.getCustomerName())
                .setCustomerAge(order.getCustomerAge())
                .setOrigin(shipment.getOrigin())
                .setPrice(order.getPrice())
                .setCurrency(order.getCurrency())
                .build();
    }
}
