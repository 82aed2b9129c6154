package io.streamingetl.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamingetl.avro.Customer;
import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.Order;
import io.streamingetl.contract.ChangeHeaders;
import io.streamingetl.contract.DeadLetterHeaders;
import io.streamingetl.contract.EventTime;
import io.streamingetl.contract.Topics;
import io.streamingetl.localstack.TutorialData;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.StreamsService;
import io.streamingetl.runtime.DriverTopics;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class EnrichmentTopologyTest {
    private static final Instant CAPTURED_TODAY = Instant.parse("2026-11-25T08:00:00Z");

    private TopologyTestDriver driver;
    private TestInputTopic<String, Customer> customers;
    private TestInputTopic<String, Order> orders;
    private TestInputTopic<String, byte[]> rawOrders;
    private TestOutputTopic<String, EnrichedOrder> enriched;
    private TestOutputTopic<byte[], byte[]> ordersDeadLetters;

    /** The service's defaults with its schema registry in memory: the driver has none. */
    private static final EnrichmentConfig CONFIG = EnrichmentConfig.from(new Settings(Map.of("SCHEMA_REGISTRY_URL", "mock://enrichment-test")));

    @BeforeEach
    void startDriver() {
        // The service's own properties, but at-least-once: under exactly-once the test driver's mock producer
        // keeps a dead letter of the deserialization path in an open transaction (EnrichmentScenarios check it on
        // a real broker under exactly-once).
        driver = new TopologyTestDriver(EnrichmentTopology.build(CONFIG),
                StreamsService.properties(new Settings(Map.of("PROCESSING_GUARANTEE", "at_least_once")),
                        "enrichment-test", new SimpleMeterRegistry()));
        customers = DriverTopics.input(driver, CONFIG.customers());
        orders = DriverTopics.input(driver, CONFIG.orders());
        rawOrders = driver.createInputTopic(Topics.ORDERS.name(), new StringSerializer(), new ByteArraySerializer());
        enriched = DriverTopics.output(driver, CONFIG.enrichedOrders());
        ordersDeadLetters = driver.createOutputTopic(Topics.ORDERS.deadLetters(), new ByteArrayDeserializer(),
                new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private void capture(Customer customer) {
        customers.pipeInput(customer.getId(), customer, CAPTURED_TODAY);
    }

    /** A customer's change as customers-cdc captured it at {@code lsn}; a null customer is its delete. */
    private void capture(String id, Customer customer, long lsn) {
        Headers headers = new RecordHeaders();
        ChangeHeaders.setVersion(headers, lsn);
        customers.pipeInput(new TestRecord<>(id, customer, headers, CAPTURED_TODAY));
    }

    private void place(Order order) {
        orders.pipeInput(order.getOrderId(), order, EventTime.parse(order.getTs()));
    }

    @Test
    void tutorialOrdersAreEnrichedWithTheirCustomers() {
        TutorialData tutorial = TutorialData.load();
        tutorial.customers().forEach(this::capture);
        tutorial.orders().forEach(this::place);

        assertThat(enriched.readKeyValuesToList()).containsExactly(
                KeyValue.pair("13", new EnrichedOrder("13", "2", "bill", 51, 50.50, "usd", "2020-04-03T11:20:00")),
                KeyValue.pair("29", new EnrichedOrder("29", "7", "sue", 25, 15.00, "aud", "2020-04-02T12:36:00")),
                KeyValue.pair("17", new EnrichedOrder("17", "5", "fred", 34, 25.25, "eur", "2020-04-02T17:22:00")),
                KeyValue.pair("15", new EnrichedOrder("15", "5", "fred", 34, 13.75, "usd", "2020-04-03T02:55:00")),
                KeyValue.pair("22", new EnrichedOrder("22", "7", "sue", 25, 29.71, "aud", "2020-04-04T00:12:00")));
    }

    @Test
    void anEnrichedOrderKeepsTheOrdersEventTime() {
        capture(new Customer("7", "sue", 25));
        place(new Order("22", "7", 29.71, "aud", "2020-04-04T00:12:00"));

        TestRecord<String, EnrichedOrder> record = enriched.readRecord();
        assertThat(record.getRecordTime()).isEqualTo(Instant.parse("2020-04-04T00:12:00Z"));
    }

    @Test
    void anUnknownCustomerGivesNullCustomerFields() {
        place(new Order("40", "99", 10.0, "usd", "2020-04-03T11:20:00"));

        assertThat(enriched.readValuesToList())
                .containsExactly(new EnrichedOrder("40", "99", null, null, 10.0, "usd", "2020-04-03T11:20:00"));
    }

    @Test
    void aCustomerUpdateBeforeAnOrderGivesTheNewName() {
        capture(new Customer("7", "sue", 25));
        capture(new Customer("7", "susan", 26));
        place(new Order("22", "7", 29.71, "aud", "2020-04-04T00:12:00"));

        assertThat(enriched.readValuesToList())
                .containsExactly(new EnrichedOrder("22", "7", "susan", 26, 29.71, "aud", "2020-04-04T00:12:00"));
    }

    @Test
    void aCustomerDeleteBeforeAnOrderGivesNullCustomerFields() {
        capture(new Customer("7", "sue", 25));
        customers.pipeInput("7", null, CAPTURED_TODAY);
        place(new Order("22", "7", 29.71, "aud", "2020-04-04T00:12:00"));

        assertThat(enriched.readValuesToList())
                .containsExactly(new EnrichedOrder("22", "7", null, null, 29.71, "aud", "2020-04-04T00:12:00"));
    }

    /** A replayed dead letter of the customers topic, say. */
    @Test
    void anOlderCustomerRecordArrivingAfterANewerOneDoesNotReplaceIt() {
        capture("7", new Customer("7", "sue", 25), 100);
        capture("7", new Customer("7", "susan", 26), 200);
        capture("7", new Customer("7", "sue", 25), 100);
        place(new Order("22", "7", 29.71, "aud", "2020-04-04T00:12:00"));

        assertThat(enriched.readValuesToList())
                .containsExactly(new EnrichedOrder("22", "7", "susan", 26, 29.71, "aud", "2020-04-04T00:12:00"));
    }

    @Test
    void aDeletedCustomerIsNotBroughtBackByAnOlderRecord() {
        capture("7", new Customer("7", "sue", 25), 100);
        capture("7", null, 200);
        capture("7", new Customer("7", "sue", 25), 100);
        place(new Order("22", "7", 29.71, "aud", "2020-04-04T00:12:00"));

        assertThat(enriched.readValuesToList())
                .containsExactly(new EnrichedOrder("22", "7", null, null, 29.71, "aud", "2020-04-04T00:12:00"));
    }

    @Test
    void aCustomerRecordWithoutAnLsnReplacesTheOneHeldAsTheLatest() {
        capture("7", new Customer("7", "sue", 25), 100);
        capture(new Customer("7", "sam", 30));
        place(new Order("22", "7", 29.71, "aud", "2020-04-04T00:12:00"));

        assertThat(enriched.readValuesToList())
                .containsExactly(new EnrichedOrder("22", "7", "sam", 30, 29.71, "aud", "2020-04-04T00:12:00"));
    }

    @Test
    void anOrderMuchOlderThanItsCustomersCaptureStillFindsIt() {
        customers.pipeInput("5", new Customer("5", "fred", 34), Instant.parse("2030-01-01T00:00:00Z"));
        place(new Order("17", "5", 25.25, "eur", "2020-04-02T17:22:00"));

        assertThat(enriched.readValuesToList())
                .containsExactly(new EnrichedOrder("17", "5", "fred", 34, 25.25, "eur", "2020-04-02T17:22:00"));
    }

    @Test
    void undecodableOrderBytesGoToTheDeadLetterTopicAndTheNextOrderIsEnriched() {
        capture(new Customer("7", "sue", 25));
        byte[] garbage = "{\"order_id\": \"50\"}".getBytes(StandardCharsets.UTF_8);
        rawOrders.pipeInput("50", garbage, CAPTURED_TODAY);
        place(new Order("22", "7", 29.71, "aud", "2020-04-04T00:12:00"));

        TestRecord<byte[], byte[]> deadLetter = ordersDeadLetters.readRecord();
        assertThat(deadLetter.getValue()).isEqualTo(garbage);
        assertThat(new String(deadLetter.getKey(), StandardCharsets.UTF_8)).isEqualTo("50");
        Headers headers = deadLetter.getHeaders();
        assertThat(DeadLetterHeaders.header(headers, DeadLetterHeaders.STAGE)).isEqualTo("deserialize");
        assertThat(DeadLetterHeaders.header(headers, DeadLetterHeaders.ERROR_CLASS)).isEqualTo("org.apache.kafka.common.errors.SerializationException");
        assertThat(DeadLetterHeaders.header(headers, DeadLetterHeaders.ERROR_MESSAGE))
                .startsWith("Cannot decode a Order from topic my-replica-set.logistics.orders (18 bytes)");
        assertThat(DeadLetterHeaders.header(headers, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(Topics.ORDERS.name());
        assertThat(DeadLetterHeaders.header(headers, DeadLetterHeaders.SOURCE_PARTITION)).isEqualTo("0");
        assertThat(DeadLetterHeaders.header(headers, DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("0");
        assertThat(ordersDeadLetters.isEmpty()).isTrue();
        assertThat(enriched.readValuesToList())
                .containsExactly(new EnrichedOrder("22", "7", "sue", 25, 29.71, "aud", "2020-04-04T00:12:00"));
    }

    @Test
    void anOrderWithAnUnparsableTsGoesToTheDeadLetterTopic() {
        Order badTs = new Order("51", "7", 1.0, "usd", "April 3rd");
        byte[] asRead = CONFIG.orders().serializeValue(badTs);
        rawOrders.pipeInput("51", asRead, CAPTURED_TODAY);

        TestRecord<byte[], byte[]> deadLetter = ordersDeadLetters.readRecord();
        assertThat(deadLetter.getValue()).isEqualTo(asRead);
        assertThat(DeadLetterHeaders.header(deadLetter.getHeaders(), DeadLetterHeaders.STAGE)).isEqualTo("process:check-order-ts");
        assertThat(DeadLetterHeaders.header(deadLetter.getHeaders(), DeadLetterHeaders.ERROR_MESSAGE))
                .isEqualTo("ts 'April 3rd' is not yyyy-MM-dd'T'HH:mm:ss");
        assertThat(enriched.isEmpty()).isTrue();
    }

    @Test
    void aDeletedOrderIsNotEnriched() {
        orders.pipeInput("22", null, CAPTURED_TODAY);

        assertThat(enriched.isEmpty()).isTrue();
        assertThat(ordersDeadLetters.isEmpty()).isTrue();
    }


}
