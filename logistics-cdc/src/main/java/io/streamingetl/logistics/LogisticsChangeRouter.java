package io.streamingetl.logistics;

import io.streamingetl.avro.Order;
import io.streamingetl.avro.Shipment;
import io.streamingetl.cdc.ChangeRouter;
import io.streamingetl.contract.EventTime;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * Orders keyed by {@code order_id} as {@code Order}, shipments keyed by {@code shipment_id} as
 * {@code Shipment}, each with its {@code ts} as the Kafka record timestamp: event time, not capture time.
 * A {@code ts} further ahead of the capture time than {@code MAX_EVENT_TIME_SKEW} is refused: sent on, one
 * such record would move the join's stream time ahead (years, for a typo) and make every later record of
 * its partition late, and the broker refuses a timestamp over {@code message.timestamp.after.max.ms} ahead.
 */
public final class LogisticsChangeRouter implements ChangeRouter {
    private final LogisticsCdcConfig config;
    private final Clock clock;

    public LogisticsChangeRouter(LogisticsCdcConfig config) {
        this(config, Clock.systemUTC());
    }

    LogisticsChangeRouter(LogisticsCdcConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    @Override
    public List<ProducerRecord<byte[], byte[]>> route(SourceRecord change) {
        boolean isOrder = change.topic().equals(config.changesTopicOf(config.ordersCollection()));
        if (!isOrder && !change.topic().equals(config.changesTopicOf(config.shipmentsCollection()))) {
            return List.of();
        }
        String topic = isOrder ? config.orders().name() : config.shipments().name();
        if (change.value() == null) {
            return config.deletesAsTombstones()
                    ? List.of(new ProducerRecord<>(topic, config.orders().serializeKey(documentId(change)), null))
                    : List.of();
        }
        if (!(change.value() instanceof Struct document)) {
            throw new DataException("a change must carry the document, was " + change.value().getClass().getSimpleName());
        }
        if (isOrder) {
            Order order = LogisticsDocumentMapper.toOrder(document);
            return List.of(new ProducerRecord<>(topic, null, eventTime(order.getTs()),
                    config.orders().serializeKey(order.getOrderId()), config.orders().serializeValue(order)));
        }
        Shipment shipment = LogisticsDocumentMapper.toShipment(document);
        return List.of(new ProducerRecord<>(topic, null, eventTime(shipment.getTs()),
                config.shipments().serializeKey(shipment.getShipmentId()), config.shipments().serializeValue(shipment)));
    }

    private long eventTime(String ts) {
        long eventTime = EventTime.toEpochMillis(ts);
        Instant captured = clock.instant();
        if (eventTime > captured.plus(config.maxEventTimeSkew()).toEpochMilli()) {
            throw new DataException("ts " + ts + " is more than " + LogisticsCdcConfig.MAX_EVENT_TIME_SKEW + " ("
                    + config.maxEventTimeSkew() + ") ahead of the capture time " + EventTime.format(captured));
        }
        return eventTime;
    }

    /** A deleted document has no fields left: its tombstone can only carry the document's {@code _id}. */
    private static String documentId(SourceRecord change) {
        if (change.key() instanceof Struct key && key.schema().field("id") != null) {
            return String.valueOf(key.get("id"));
        }
        throw new DataException("a delete without a document id");
    }

    private static final Schema WARM_UP_KEY = SchemaBuilder.struct().field("id", Schema.STRING_SCHEMA).build();
    private static final Schema WARM_UP_ORDER = SchemaBuilder.struct().field("_id", Schema.STRING_SCHEMA)
            .field("order_id", Schema.OPTIONAL_STRING_SCHEMA).field("customer_id", Schema.OPTIONAL_STRING_SCHEMA)
            .field("price", Schema.OPTIONAL_FLOAT64_SCHEMA).field("currency", Schema.OPTIONAL_STRING_SCHEMA)
            .field("ts", Schema.OPTIONAL_STRING_SCHEMA).build();
    private static final Schema WARM_UP_SHIPMENT = SchemaBuilder.struct().field("_id", Schema.STRING_SCHEMA)
            .field("shipment_id", Schema.OPTIONAL_STRING_SCHEMA).field("order_id", Schema.OPTIONAL_STRING_SCHEMA)
            .field("origin", Schema.OPTIONAL_STRING_SCHEMA).field("ts", Schema.OPTIONAL_STRING_SCHEMA).build();

    /** An order and its shipment as Debezium's unwrapped changes carry them, with no source offset. */
    @Override
    public List<SourceRecord> warmUpChanges(int i) {
        String order = "warm-up-" + i;
        String ts = EventTime.format(clock.instant().minusSeconds(3600 + i % 3600));
        return List.of(
                new SourceRecord(null, null, config.changesTopicOf(config.ordersCollection()), WARM_UP_KEY,
                        new Struct(WARM_UP_KEY).put("id", order), WARM_UP_ORDER, new Struct(WARM_UP_ORDER).put("_id", order)
                        .put("order_id", order).put("customer_id", "warm-up").put("price", 1.0).put("currency", "usd").put("ts", ts)),
                new SourceRecord(null, null, config.changesTopicOf(config.shipmentsCollection()), WARM_UP_KEY,
                        new Struct(WARM_UP_KEY).put("id", "s" + order), WARM_UP_SHIPMENT, new Struct(WARM_UP_SHIPMENT)
                        .put("_id", "s" + order).put("shipment_id", "s" + order).put("order_id", order).put("origin", "warm")
                        .put("ts", ts)));
    }

    @Override
    public String deadLetterTopicFor(SourceRecord change) {
        return change.topic().equals(config.changesTopicOf(config.shipmentsCollection()))
                ? config.shipments().name() : config.orders().name();
    }
}
