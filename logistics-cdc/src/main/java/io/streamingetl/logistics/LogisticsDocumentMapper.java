package io.streamingetl.logistics;

import io.streamingetl.avro.Order;
import io.streamingetl.avro.Shipment;
import io.streamingetl.contract.EventTime;
import org.apache.kafka.connect.data.Field;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/**
 * A captured MongoDB document (Debezium's unwrapped Struct) as the contract's {@code Order} or
 * {@code Shipment}. A document without its ids or {@code ts}, with an unparsable {@code ts}, or with a
 * field of the wrong type is refused with the reason, to become a dead letter; a missing {@code price},
 * {@code currency} or {@code origin} is null, as ksqlDB would give it.
 */
public final class LogisticsDocumentMapper {
    private LogisticsDocumentMapper() {
    }

    public static Order toOrder(Struct document) {
        String ts = text(document, "ts", true);
        EventTime.parse(ts);
        return new Order(text(document, "order_id", true), text(document, "customer_id", true),
                number(document, "price"), text(document, "currency", false), ts);
    }

    public static Shipment toShipment(Struct document) {
        String ts = text(document, "ts", true);
        EventTime.parse(ts);
        return new Shipment(text(document, "shipment_id", true), text(document, "order_id", true),
                text(document, "origin", false), ts);
    }

    private static String text(Struct document, String name, boolean required) {
        Object value = value(document, name);
        if (value == null) {
            if (required) {
                throw new DataException(name + " is missing");
            }
            return null;
        }
        if (!(value instanceof String s)) {
            throw new DataException(name + " must be a string, was " + describe(value));
        }
        return s;
    }

    /** MongoDB has no single number type: an int or long price is the same price as a double. */
    private static Double number(Struct document, String name) {
        Object value = value(document, name);
        if (value == null) {
            return null;
        }
        if (!(value instanceof Double || value instanceof Integer || value instanceof Long || value instanceof Float)) {
            throw new DataException(name + " must be a number, was " + describe(value));
        }
        return ((Number) value).doubleValue();
    }

    private static Object value(Struct document, String name) {
        Field field = document.schema().field(name);
        return field == null ? null : document.get(field);
    }

    private static String describe(Object value) {
        return value.getClass().getSimpleName() + " " + value;
    }
}
