package io.streamingetl.enrichment;

import io.streamingetl.avro.Customer;
import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.Order;
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

/** Enrichment's warm-up round: a customer, then an order of theirs, through the topology; the enriched orders read and dropped. */
final class EnrichmentWarmup implements Warmup.Round {
    private static final Instant START = Instant.parse("2020-04-01T00:00:00Z");
    private static final int CUSTOMERS = 1000;

    private final TestInputTopic<String, Customer> customers;
    private final TestInputTopic<String, Order> orders;
    private final TestOutputTopic<String, EnrichedOrder> enriched;

    EnrichmentWarmup(TopologyTestDriver driver, EnrichmentConfig config) {
        customers = DriverTopics.input(driver, config.customers());
        orders = DriverTopics.input(driver, config.orders());
        enriched = DriverTopics.output(driver, config.enrichedOrders());
    }

    @Override
    public void run(int i) {
        String customer = "warm-up-" + (i % CUSTOMERS);
        Instant ts = START.plusSeconds(i);
        customers.pipeInput(new TestRecord<>(customer, new Customer(customer, "warm", 30), positioned(i), ts));
        orders.pipeInput(new TestRecord<>("warm-up-" + i, new Order("warm-up-" + i, customer, 1.0 + i % 7, "usd",
                EventTime.format(ts)), positioned(i), ts));
        if (i % CUSTOMERS == CUSTOMERS - 1) {
            enriched.readRecordsToList();
        }
    }

    private static RecordHeaders positioned(int i) {
        RecordHeaders headers = new RecordHeaders();
        ChangeHeaders.stamp(headers, System.currentTimeMillis(), "warm-up", i + 1);
        return headers;
    }
}
