package io.streamingetl.essink;

import co.elastic.clients.elasticsearch._types.mapping.Property;
import co.elastic.clients.elasticsearch._types.mapping.TypeMapping;
import co.elastic.clients.util.ObjectBuilder;
import io.streamingetl.avro.ShippedOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A shipped order as the document the tutorial's ksqlDB query indexed: the same field names, in the same
 * order, with the types its dynamic mapping gave, so the dashboards and queries written for it keep working.
 * Each field is named here once, with its mapping and its value; the index's mapping, the document and the
 * tests' expectations are built from {@link Field}. The document's id is the order id.
 */
public final class ShippedOrderDocument {
    private ShippedOrderDocument() {
    }

    /** The document's fields in order. */
    public enum Field {
        O_ORDER_ID(Type.ID, ShippedOrder::getOrderId),
        SHIPMENT_ID(Type.ID, ShippedOrder::getShipmentId),
        CUSTOMER_ID(Type.ID, ShippedOrder::getCustomerId),
        CUSTOMER_NAME(Type.TEXT, ShippedOrder::getCustomerName),
        CUSTOMER_AGE(Type.INTEGER, ShippedOrder::getCustomerAge),
        ORIGIN(Type.TEXT, ShippedOrder::getOrigin),
        PRICE(Type.DOUBLE, ShippedOrder::getPrice),
        CURRENCY(Type.TEXT, ShippedOrder::getCurrency);

        private final Type type;
        private final Function<ShippedOrder, Object> value;

        Field(Type type, Function<ShippedOrder, Object> value) {
            this.type = type;
            this.value = value;
        }
    }

    /**
     * How a field is mapped. Ids are keywords with a {@code .keyword} sub-field too, so queries and
     * aggregations written for the tutorial's dynamic mapping ({@code CUSTOMER_ID.keyword}) work as well as
     * plain ones; texts are text with a keyword sub-field, as dynamic mapping makes them.
     */
    enum Type {
        ID(p -> p.keyword(k -> k.fields("keyword", Type::keywordSubField))),
        TEXT(p -> p.text(t -> t.fields("keyword", Type::keywordSubField))),
        INTEGER(p -> p.integer(i -> i)),
        DOUBLE(p -> p.double_(d -> d));

        private final Function<Property.Builder, ObjectBuilder<Property>> mapping;

        Type(Function<Property.Builder, ObjectBuilder<Property>> mapping) {
            this.mapping = mapping;
        }

        private static ObjectBuilder<Property> keywordSubField(Property.Builder p) {
            return p.keyword(k -> k.ignoreAbove(256));
        }
    }

    /** The document of {@code order}, its fields in order; a field without a value is null. */
    public static Map<String, Object> of(ShippedOrder order) {
        Map<String, Object> document = new LinkedHashMap<>();
        for (Field field : Field.values()) {
            document.put(field.name(), field.value.apply(order));
        }
        return document;
    }

    /** The index's mapping: every field with its type. */
    public static TypeMapping mapping() {
        TypeMapping.Builder mapping = new TypeMapping.Builder();
        for (Field field : Field.values()) {
            mapping.properties(field.name(), field.type.mapping);
        }
        return mapping.build();
    }
}
