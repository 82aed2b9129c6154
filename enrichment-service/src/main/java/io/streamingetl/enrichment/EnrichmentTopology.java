package io.streamingetl.enrichment;

import io.streamingetl.contract.EventTime;
import io.streamingetl.contract.Positioned;
import io.streamingetl.runtime.EventTimeExtractor;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.state.Stores;

/**
 * Every order, left-joined to its customer as known when the order is processed.
 *
 * <p>The customers are a global store, a GlobalKTable's construct: Kafka Streams reads the whole topic into
 * it before it processes any order, and afterwards updates it as customers change, regardless of record
 * timestamps. A KTable join would instead synchronise both inputs on event time, so an order of 2020 would
 * be joined before a customer captured in 2026 was read and get empty fields. It is a global store fed by
 * {@link CustomerTable} rather than {@code builder.globalTable(...)} because Streams 4.3 bootstraps a
 * GlobalKTable by copying the topic's bytes as they are, so an undecodable record would sit in the table
 * unseen; through a processor, each one is decoded and a bad one dead-lettered. Each instance holds every
 * customer, which suits a customer table; orders still scale by partitions and instances, and need no
 * repartition by customer id.
 */
public final class EnrichmentTopology {
    private EnrichmentTopology() {
    }

    public static Topology build(EnrichmentConfig config) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(CustomerTable.STORE),
                        config.customers().keySerde(), Positioned.serde(config.customers().valueSerde())).withLoggingDisabled(),
                config.customers().name(),
                config.customers().consumed().withName("customers"),
                CustomerTable::new);

        builder.stream(config.orders().name(), config.orders().consumed()
                        .withTimestampExtractor(new EventTimeExtractor())
                        .withName("orders"))
                // A deleted order (tombstone) has nothing to enrich; orders' deletes are dropped upstream anyway.
                .filter((orderId, order) -> order != null, Named.as("skip-order-tombstones"))
                .peek((orderId, order) -> EventTime.parse(order.getTs()), Named.as("check-order-ts"))
                .processValues(CustomerLookup::new, Named.as("enrich-with-customer"))
                .to(config.enrichedOrders().name(), config.enrichedOrders().produced().withName("enriched-orders"));
        return builder.build();
    }
}
