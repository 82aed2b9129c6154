package io.streamingetl.shipments;

import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.Shipment;
import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.ChangeHeaders;
import io.streamingetl.contract.EventTime;
import io.streamingetl.runtime.DriverTopics;
import io.streamingetl.runtime.Warmup;
import java.time.Instant;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;

/**
 * The join's warm-up round: an enriched order and its shipment an hour later through the topology (the repartition,
 * both windows, the versions), the shipped orders read and dropped. Each round's order is new, so each makes one pair.
 */
final class ShipmentJoinWarmup implements Warmup.Round {
    private static final Instant START = Instant.parse("2020-04-01T00:00:00Z");
    private static final int DRAIN_EVERY = 1000;

    private final TestInputTopic<String, EnrichedOrder> orders;
    private final TestInputTopic<String, Shipment> shipments;
    private final TestOutputTopic<String, ShippedOrder> shipped;

    ShipmentJoinWarmup(TopologyTestDriver driver, ShipmentJoinConfig config) {
        orders = DriverTopics.input(driver, config.enrichedOrders());
        shipments = DriverTopics.input(driver, config.shipments());
        shipped = DriverTopics.output(driver, config.shippedOrders());
    }

    @Override
    public void run(int i) {
        String order = "warm-up-" + i;
        Instant ordered = START.plusSeconds(i);
        Instant shippedAt = ordered.plusSeconds(3600);
        orders.pipeInput(new TestRecord<>(order, new EnrichedOrder(order, "warm-up", "warm", 30, 1.0, "usd",
                EventTime.format(ordered)), positioned(2L * i + 1), ordered));
        shipments.pipeInput(new TestRecord<>("warm-up-s" + i, new Shipment("warm-up-s" + i, order, "warm",
                EventTime.format(shippedAt)), positioned(2L * i + 2), shippedAt));
        if (i % DRAIN_EVERY == DRAIN_EVERY - 1) {
            shipped.readRecordsToList();
        }
    }

    private static RecordHeaders positioned(long position) {
        RecordHeaders headers = new RecordHeaders();
        ChangeHeaders.stamp(headers, System.currentTimeMillis(), "warm-up", ChangeHeaders.mongoPosition(1_780_000_000L, position));
        return headers;
    }
}
