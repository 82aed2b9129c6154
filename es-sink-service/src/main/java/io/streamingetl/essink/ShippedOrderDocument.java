package io.streamingetl.essink;

import io.streamingetl.avro.ShippedOrder;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A shipped order as the document the tutorial's ksqlDB query indexed: the same field names and types, so
 * the dashboards and queries written for it keep working. Its id is the order id.
 */
public final class ShippedOrderDocument {
    private ShippedOrderDocument() {
    }

    public static Map<String, Object> of(ShippedOrder order) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("O_ORDER_ID", order.getOrderId());
        document.put("SHIPMENT_ID", order.getShipmentId());
        document.put("CUSTOMER_ID", order.getCustomerId());
        document.put("CUSTOMER_NAME", order.getCustomerName());
        document.put("CUSTOMER_AGE", order.getCustomerAge());
        document.put("ORIGIN", order.getOrigin());
        document.put("PRICE", order.getPrice());
        document.put("CURRENCY", order.getCurrency());
        return document;
    }
}
