package io.streamingetl.shipments;

import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.Shipment;
import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.Positioned;

/** An enriched order and one of its shipments, as one shipped order at the version made of both ({@link ShippedOrderVersion}). */
public final class ShipmentJoin {
    private ShipmentJoin() {
    }

    static Positioned<ShippedOrder> ship(Positioned<EnrichedOrder> order, Positioned<Shipment> shipment) {
        return new Positioned<>(ShippedOrderVersion.of(order.position(), shipment.position()),
                ship(order.value(), shipment.value()));
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
