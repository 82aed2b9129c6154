package io.streamingetl.contract;

import io.streamingetl.avro.ShippedOrder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A shipped order as the document the tutorial's ksqlDB query indexed: the same field names, in the same
 * order, with the types its dynamic mapping gave, so the dashboards and queries written for it keep working.
 * Each field is named here once, with its mapping and its value; the index's mapping, the document and the
 * tests' expectations are built from {@link Field}. The document's id is the order id. The same document and
 * mapping serve Elasticsearch 7.10 to 9.x and OpenSearch 2 to 3.
 */
public final class ShippedOrderDocument {
    /** The name searches use: an alias over a versioned index ({@code shipped_orders_v1}, ...), or an index. */
    public static final String INDEX = "shipped_orders";

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
        ID(Map.of("type", "keyword", "fields", keywordSubField())),
        TEXT(Map.of("type", "text", "fields", keywordSubField())),
        INTEGER(Map.of("type", "integer")),
        DOUBLE(Map.of("type", "double"));

        private final Map<String, Object> mapping;

        Type(Map<String, Object> mapping) {
            this.mapping = mapping;
        }

        private static Map<String, Object> keywordSubField() {
            return Map.of("keyword", Map.of("type", "keyword", "ignore_above", 256));
        }
    }

    /** A {@code shipped_orders} record as the write it stands for: the order's id, its version (0: none), its document or null (a delete). */
    public record Change(String id, long version, Map<String, Object> document) {
        /** @throws IllegalArgumentException when the record has no key; the value's decoding errors as they come */
        public static Change of(Topic<String, ShippedOrder> topic, ConsumerRecord<byte[], byte[]> record) {
            if (record.key() == null) {
                throw new IllegalArgumentException("a shipped order needs its order id as key");
            }
            ShippedOrder order = topic.deserializeValue(record.value());
            return new Change(topic.deserializeKey(record.key()), ChangeHeaders.version(record.headers()),
                    order == null ? null : ShippedOrderDocument.of(order));
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

    /** The index's mapping, as the JSON body of {@code mappings}: every field with its type. */
    public static Map<String, Object> mapping() {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (Field field : Field.values()) {
            properties.put(field.name(), field.type.mapping);
        }
        return Map.of("properties", properties);
    }
}
