package io.streamingetl.shipments;

import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.Shipment;
import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.EventTime;
import io.streamingetl.contract.Positioned;
import io.streamingetl.runtime.EventTimeExtractor;
import java.util.Map;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.KStream;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.kstream.StreamJoined;

/**
 * Enriched orders joined with the shipments of the same order whose event times ({@code ts}) differ by at
 * most the window, either way ({@code WITHIN 7 DAYS}). Both sides are held in windowed stores with
 * changelogs, so every matching pair yields one shipped order whichever side arrives first; shipments are
 * repartitioned by order id so both sides of an order meet in the same task. Each side's source position rides in
 * its stored value ({@link ChangePositions}), so each shipped order carries the version made of both
 * ({@link ShippedOrderVersion}).
 */
public final class ShipmentJoinTopology {
    public static final String JOIN_STORE = "shipment-join";
    public static final String SHIPMENTS_BY_ORDER = "shipments-by-order-id";
    /**
     * The window stores' changelogs are retained by the time records were written, not by their event
     * times: Kafka deletes a changelog record once its timestamp is older than the window's retention by
     * the broker's clock, which for event times from the past (a replay, the tutorial's 2020 data) is at
     * once, and a restarted task would restore an empty join. Restoring reads the window from the key.
     */
    static final Map<String, String> CHANGELOG_CONFIG = Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");

    private ShipmentJoinTopology() {
    }

    public static Topology build(ShipmentJoinConfig config) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, Positioned<EnrichedOrder>> orders = builder
                .stream(config.enrichedOrders().name(), config.enrichedOrders().consumed()
                        .withTimestampExtractor(new EventTimeExtractor())
                        .withName("enriched-orders"))
                .filter((orderId, order) -> order != null, Named.as("skip-order-tombstones"))
                .peek((orderId, order) -> EventTime.parse(order.getTs()), Named.as("check-order-ts"))
                .processValues(() -> new LateRecordFilter<>("order", config.window(), config.grace()),
                        Named.as("drop-late-orders"))
                .processValues(ChangePositions::<EnrichedOrder>attach, Named.as("position-orders"));

        KStream<String, Positioned<Shipment>> shipments = builder
                .stream(config.shipments().name(), config.shipments().consumed()
                        .withTimestampExtractor(new EventTimeExtractor())
                        .withName("shipments"))
                .filter((shipmentId, shipment) -> shipment != null, Named.as("skip-shipment-tombstones"))
                .peek((shipmentId, shipment) -> EventTime.parse(shipment.getTs()), Named.as("check-shipment-ts"))
                .selectKey((shipmentId, shipment) -> shipment.getOrderId(), Named.as("key-shipments-by-order-id"))
                .repartition(Repartitioned.<String, Shipment>as(SHIPMENTS_BY_ORDER)
                        .withKeySerde(config.shipments().keySerde())
                        .withValueSerde(config.shipments().valueSerde()))
                .processValues(() -> new LateRecordFilter<>("shipment", config.window(), config.grace()),
                        Named.as("drop-late-shipments"))
                .processValues(ChangePositions::<Shipment>attach, Named.as("position-shipments"));

        orders.join(shipments, ShipmentJoin::ship,
                        JoinWindows.ofTimeDifferenceAndGrace(config.window(), config.grace()),
                        StreamJoined.with(config.enrichedOrders().keySerde(), Positioned.serde(config.enrichedOrders().valueSerde()),
                                        Positioned.serde(config.shipments().valueSerde()))
                                .withName(JOIN_STORE)
                                .withStoreName(JOIN_STORE)
                                .withLoggingEnabled(CHANGELOG_CONFIG))
                .processValues(ChangePositions::<ShippedOrder>detach, Named.as("version-shipped-orders"))
                .to(config.shippedOrders().name(), config.shippedOrders().produced().withName("shipped-orders"));
        return builder.build();
    }
}
