package io.streamingetl.enrichment;

import io.streamingetl.avro.Customer;
import io.streamingetl.avro.Order;
import io.streamingetl.contract.EventTime;
import io.streamingetl.contract.PipelineSerdes;
import io.streamingetl.runtime.EventTimeExtractor;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.GlobalKTable;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Every order, left-joined to its customer as known when the order is processed.
 *
 * <p>The customers are a {@link GlobalKTable}: Kafka Streams reads the whole topic into it before it
 * processes any order, and afterwards updates it as customers change, regardless of record timestamps. A
 * KTable join would instead synchronise the two inputs on event time, so an order of 2020 would be joined
 * before a customer captured in 2026 was read and get empty fields. Each instance holds every customer,
 * which suits a customer table; orders still scale by partitions and instances, and no repartition of
 * orders by customer id is needed.
 */
public final class EnrichmentTopology {
    public static final String CUSTOMER_TABLE = "customer-table";

    private EnrichmentTopology() {
    }

    public static Topology build(EnrichmentConfig config) {
        StreamsBuilder builder = new StreamsBuilder();
        GlobalKTable<String, Customer> customers = builder.globalTable(config.customersTopic(),
                Consumed.with(Serdes.String(), PipelineSerdes.customer()).withName("customers"),
                Materialized.<String, Customer, KeyValueStore<Bytes, byte[]>>as(CUSTOMER_TABLE)
                        .withKeySerde(Serdes.String())
                        .withValueSerde(PipelineSerdes.customer()));

        builder.stream(config.ordersTopic(), Consumed.with(Serdes.String(), PipelineSerdes.order())
                        .withTimestampExtractor(new EventTimeExtractor())
                        .withName("orders"))
                // A deleted order (tombstone) has nothing to enrich; orders' deletes are dropped upstream anyway.
                .filter((orderId, order) -> order != null, Named.as("skip-order-tombstones"))
                .peek((orderId, order) -> EventTime.parse(order.getTs()), Named.as("check-order-ts"))
                .leftJoin(customers, (orderId, order) -> order.getCustomerId(), OrderEnrichment::enrich,
                        Named.as("enrich-with-customer"))
                .to(config.enrichedOrdersTopic(), Produced.with(Serdes.String(), PipelineSerdes.enrichedOrder())
                        .withName("enriched-orders"));
        return builder.build();
    }
}
