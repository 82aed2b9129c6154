package io.streamingetl.benchmark;

import io.streamingetl.contract.Topics;
import io.streamingetl.harness.LoadGenerator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each change of a latency run's load was committed and when it reached each topic between the services:
 * the split of the commit-to-document latency into the pipeline's hops.
 */
final class HopTimes implements AutoCloseable {
    /** The shipments the join re-keyed by order id, as Kafka Streams names the topic for the demo's application id. */
    private static final String JOIN_REPARTITION = "shipment-join-service-shipments-by-order-id-repartition";

    private final Map<String, Long> orderedAt = new ConcurrentHashMap<>();
    private final Map<String, Long> shippedAt = new ConcurrentHashMap<>();
    private final Map<String, String> shipmentOf = new ConcurrentHashMap<>();
    private final Map<String, ?> expectedDocuments;
    private final TopicArrivals arrivals;

    /** @param expectedDocuments the load's documents by order id: only shipments that make one are timed */
    HopTimes(String bootstrapServers, Map<String, ?> expectedDocuments) {
        this.expectedDocuments = expectedDocuments;
        this.arrivals = new TopicArrivals(bootstrapServers, List.of(Topics.ORDERS.name(), Topics.ENRICHED_ORDERS.name(),
                Topics.SHIPMENTS.name(), JOIN_REPARTITION, Topics.SHIPPED_ORDERS.name()));
    }

    /** Notes that {@code change} was committed, now: an order's first change, or a shipment of an order written before. */
    void written(LoadGenerator.Change change) {
        String orderId = (String) change.document().get("order_id");
        long now = System.nanoTime();
        if (change.collection().equals("orders")) {
            orderedAt.putIfAbsent(orderId, now);
        } else if (orderedAt.containsKey(orderId) && expectedDocuments.containsKey(orderId)) {
            shipmentOf.put(orderId, (String) change.document().get("shipment_id"));
            shippedAt.put(orderId, now);
        }
    }

    /** Whether every shipment committed before {@code nanos} has its shipped order on {@code shipped_orders}. */
    boolean joinedAllShippedBefore(long nanos) {
        return shippedAt.entrySet().stream().filter(e -> e.getValue() < nanos)
                .allMatch(e -> arrivals.firstSeen(Topics.SHIPPED_ORDERS.name(), e.getKey()) != null);
    }

    /** The figures of the changes committed from {@code from} to {@code to} (nanos), hop by hop, under {@code label}. */
    void report(String label, long from, long to, BenchmarkResults results) {
        List<String> shipped = between(shippedAt, from, to);
        List<String> ordered = between(orderedAt, from, to);
        for (String topic : List.of(Topics.SHIPMENTS.name(), JOIN_REPARTITION, Topics.SHIPPED_ORDERS.name())) {
            results.add(label + ": shipment commit -> on " + topic, Latencies.figures(shipped, shippedAt,
                    id -> arrivals.firstSeen(topic, topic.equals(Topics.SHIPMENTS.name()) ? shipmentOf.get(id) : id)));
        }
        joinHops(label, from, to, results);
        for (String topic : List.of(Topics.ORDERS.name(), Topics.ENRICHED_ORDERS.name())) {
            results.add(label + ": order commit -> on " + topic, Latencies.figures(ordered, orderedAt, id -> arrivals.firstSeen(topic, id)));
        }
    }

    /**
     * The join's two hops for the shipments committed from {@code from} to {@code to} (nanos), said under
     * {@code label}; their p99s in ms, null where there was none.
     */
    Long[] joinHops(String label, long from, long to, BenchmarkResults results) {
        List<String> shipped = between(shippedAt, from, to);
        long[] repartition = repartitionHop(shipped);
        long[] join = joinHop(shipped);
        results.add(label + ": the join's hops p50 / p99 / max: shipments -> repartition topic; the later of repartitioned "
                + "shipment and enriched order -> shipped_orders", Latencies.figures(repartition) + "; " + Latencies.figures(join));
        return new Long[] {repartition == null ? null : repartition[1], join == null ? null : join[1]};
    }

    private static List<String> between(Map<String, Long> committedAt, long from, long to) {
        return committedAt.keySet().stream().filter(id -> committedAt.get(id) >= from && committedAt.get(id) < to).toList();
    }

    /** The join's first hop: a shipment on its topic -> re-keyed on the repartition topic (a transaction's commit). */
    private long[] repartitionHop(List<String> orderIds) {
        return Latencies.percentiles(orderIds, id -> arrivals.firstSeen(Topics.SHIPMENTS.name(), shipmentOf.get(id)),
                id -> arrivals.firstSeen(JOIN_REPARTITION, id));
    }

    /**
     * The join's second hop: from when both sides of an order were readable (the re-keyed shipment and the enriched
     * order) to its shipped order on {@code shipped_orders}; the time the other side took to come is not the join's.
     */
    private long[] joinHop(List<String> orderIds) {
        return Latencies.percentiles(orderIds, id -> {
            Long shipment = arrivals.firstSeen(JOIN_REPARTITION, id);
            Long order = arrivals.firstSeen(Topics.ENRICHED_ORDERS.name(), id);
            return shipment == null || order == null ? null : Math.max(shipment, order);
        }, id -> arrivals.firstSeen(Topics.SHIPPED_ORDERS.name(), id));
    }

    @Override
    public void close() throws InterruptedException {
        arrivals.close();
    }
}
