package io.streamingetl.shipments;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamingetl.avro.Customer;
import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.Shipment;
import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.ChangeHeaders;
import io.streamingetl.contract.DeadLetterHeaders;
import io.streamingetl.contract.EventTime;
import io.streamingetl.contract.Topics;
import io.streamingetl.localstack.TutorialData;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.StreamsService;
import io.streamingetl.runtime.DriverTopics;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Metric;
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

class ShipmentJoinTopologyTest {
    private TopologyTestDriver driver;
    private TestInputTopic<String, EnrichedOrder> orders;
    private TestInputTopic<String, Shipment> shipments;
    private TestInputTopic<String, byte[]> rawShipments;
    private TestOutputTopic<String, ShippedOrder> shipped;
    private TestOutputTopic<byte[], byte[]> shipmentsDeadLetters;

    /** The service's defaults with its schema registry in memory: the driver has none. */
    private static final ShipmentJoinConfig CONFIG = ShipmentJoinConfig.from(new Settings(Map.of("SCHEMA_REGISTRY_URL", "mock://shipment-join-test")));

    @BeforeEach
    void startDriver() {
        // At-least-once only because the test driver's mock producer holds the deserialization path's dead
        // letters in an open transaction; ShipmentJoinScenarios run exactly-once on a real broker.
        driver = new TopologyTestDriver(ShipmentJoinTopology.build(CONFIG),
                StreamsService.properties(new Settings(Map.of("PROCESSING_GUARANTEE", "at_least_once")),
                        "shipment-join-test", new SimpleMeterRegistry()));
        orders = DriverTopics.input(driver, CONFIG.enrichedOrders());
        shipments = DriverTopics.input(driver, CONFIG.shipments());
        rawShipments = driver.createInputTopic(Topics.SHIPMENTS.name(), new StringSerializer(), new ByteArraySerializer());
        shipped = DriverTopics.output(driver, CONFIG.shippedOrders());
        shipmentsDeadLetters = driver.createOutputTopic(Topics.SHIPMENTS.deadLetters(),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    @AfterEach
    void closeDriver() {
        driver.close();
    }

    private void order(String orderId, String ts) {
        order(new EnrichedOrder(orderId, "7", "sue", 25, 29.71, "aud", ts));
    }

    private void order(EnrichedOrder order) {
        orders.pipeInput(order.getOrderId(), order, EventTime.parse(order.getTs()));
    }

    /** An order as captured at {@code version} (its position in MongoDB's log). */
    private void order(String orderId, String ts, long version) {
        order(orderId, ts, 29.71, version);
    }

    private void order(String orderId, String ts, double price, long version) {
        orders.pipeInput(new TestRecord<>(orderId, new EnrichedOrder(orderId, "7", "sue", 25, price, "aud", ts),
                versioned(version), EventTime.parse(ts)));
    }

    private void shipment(String shipmentId, String orderId, String ts) {
        shipment(new Shipment(shipmentId, orderId, "iowa", ts));
    }

    private void shipment(Shipment shipment) {
        shipments.pipeInput(shipment.getShipmentId(), shipment, EventTime.parse(shipment.getTs()));
    }

    private void shipment(String shipmentId, String orderId, String ts, long version) {
        shipments.pipeInput(new TestRecord<>(shipmentId, new Shipment(shipmentId, orderId, "iowa", ts),
                versioned(version), EventTime.parse(ts)));
    }

    private static Headers versioned(long version) {
        Headers headers = new RecordHeaders();
        ChangeHeaders.setVersion(headers, version);
        return headers;
    }

    /** The shipment id, price and version of each shipped order written, in order. */
    private List<String> shippedVersions() {
        return shipped.readRecordsToList().stream().map(r -> r.getValue().getShipmentId() + " " + r.getValue().getPrice()
                + " @" + ChangeHeaders.version(r.getHeaders())).toList();
    }

    private static ShippedOrder shippedSue(String orderId, String shipmentId) {
        return new ShippedOrder(orderId, shipmentId, "7", "sue", 25, "iowa", 29.71, "aud");
    }

    @Test
    void tutorialDataGivesTheFiveShippedOrders() {
        TutorialData tutorial = TutorialData.load();
        Map<String, Customer> customers = new HashMap<>();
        tutorial.customers().forEach(c -> customers.put(c.getId(), c));
        tutorial.orders().forEach(o -> order(new EnrichedOrder(o.getOrderId(), o.getCustomerId(),
                customers.get(o.getCustomerId()).getName(), customers.get(o.getCustomerId()).getAge(),
                o.getPrice(), o.getCurrency(), o.getTs())));
        tutorial.shipments().forEach(this::shipment);

        assertThat(shipped.readKeyValuesToList()).containsExactly(
                KeyValue.pair("17", new ShippedOrder("17", "75", "5", "fred", 34, "texas", 25.25, "eur")),
                KeyValue.pair("22", new ShippedOrder("22", "71", "7", "sue", 25, "iowa", 29.71, "aud")),
                KeyValue.pair("29", new ShippedOrder("29", "89", "7", "sue", 25, "california", 15.0, "aud")),
                KeyValue.pair("13", new ShippedOrder("13", "92", "2", "bill", 51, "maine", 50.5, "usd")),
                KeyValue.pair("15", new ShippedOrder("15", "95", "5", "fred", 34, "florida", 13.75, "usd")));
    }

    @Test
    void aShipmentArrivingBeforeItsOrderJoins() {
        shipment("71", "22", "2020-04-04T12:25:00");
        order("22", "2020-04-04T00:12:00");

        assertThat(shipped.readKeyValuesToList()).containsExactly(KeyValue.pair("22", shippedSue("22", "71")));
    }

    @Test
    void aShipmentExactlySevenDaysAfterItsOrderJoins() {
        order("22", "2020-04-04T00:00:00");
        shipment("71", "22", "2020-04-11T00:00:00");

        assertThat(shipped.readValuesToList()).containsExactly(shippedSue("22", "71"));
    }

    @Test
    void aShipmentExactlySevenDaysBeforeItsOrderJoins() {
        shipment("71", "22", "2020-04-04T00:00:00");
        order("22", "2020-04-11T00:00:00");

        assertThat(shipped.readValuesToList()).containsExactly(shippedSue("22", "71"));
    }

    @Test
    void aShipmentSevenDaysAndOneSecondAfterItsOrderDoesNotJoin() {
        order("22", "2020-04-04T00:00:00");
        shipment("71", "22", "2020-04-11T00:00:01");

        assertThat(shipped.isEmpty()).isTrue();
    }

    @Test
    void aShipmentSevenDaysAndOneSecondBeforeItsOrderDoesNotJoin() {
        shipment("71", "22", "2020-04-04T00:00:00");
        order("22", "2020-04-11T00:00:01");

        assertThat(shipped.isEmpty()).isTrue();
    }

    @Test
    void twoShipmentsOfOneOrderGiveTwoShippedOrders() {
        order("22", "2020-04-04T00:12:00");
        shipment("71", "22", "2020-04-04T12:25:00");
        shipment("72", "22", "2020-04-05T09:00:00");

        assertThat(shipped.readKeyValuesToList()).containsExactly(
                KeyValue.pair("22", shippedSue("22", "71")),
                KeyValue.pair("22", shippedSue("22", "72")));
    }

    /** A MongoDB position {@code second} seconds into the test's epoch. */
    private static long at(long second) {
        return ChangeHeaders.mongoPosition(1_780_000_000L + second, 1);
    }

    /** The version of the last shipped order written with {@code pair} ("71 29.71": shipment id and price). */
    private static long versionOf(List<String> written, String pair) {
        return written.stream().filter(w -> pairOf(w).equals(pair)).mapToLong(ShipmentJoinTopologyTest::versionOf)
                .reduce((first, last) -> last).orElseThrow();
    }

    private static long versionOf(String written) {
        return Long.parseLong(written.substring(written.indexOf('@') + 1));
    }

    private static String pairOf(String written) {
        return written.substring(0, written.indexOf(" @"));
    }

    /** The pair the index keeps of {@code written}: of the highest version, of equal ones the last written. */
    private static String highest(List<String> written) {
        String kept = written.get(0);
        for (String w : written) {
            kept = versionOf(w) >= versionOf(kept) ? w : kept;
        }
        return pairOf(kept);
    }

    @Test
    void aShippedOrderIsVersionedByItsOrdersAndItsShipmentsPositions() {
        order("22", "2020-04-04T00:12:00", at(100));
        shipment("71", "22", "2020-04-04T12:25:00", at(250));

        assertThat(shippedVersions()).containsExactly("71 29.71 @" + ShippedOrderVersion.of(at(100), at(250)));
    }

    /** A replayed dead letter of the order, say: the pair it makes again is below the newer order's. */
    @Test
    void anOldOrderComingThroughAgainAfterItsUpdateIsVersionedBelowTheUpdatedPair() {
        order("22", "2020-04-04T00:12:00", 25.25, at(100));
        shipment("71", "22", "2020-04-04T12:25:00", at(200));
        order("22", "2020-04-04T00:12:00", 99.5, at(400));
        order("22", "2020-04-04T00:12:00", 25.25, at(100));

        List<String> written = shippedVersions();
        assertThat(written).hasSize(3);
        assertThat(versionOf(written, "71 25.25")).isEqualTo(ShippedOrderVersion.of(at(100), at(200)))
                .isLessThan(versionOf(written, "71 99.5"));
        assertThat(highest(written)).isEqualTo("71 99.5");
    }

    @Test
    void anOldOrderComingThroughAgainAfterASecondShipmentIsVersionedBelowTheNewestPair() {
        order("22", "2020-04-04T00:12:00", 25.25, at(100));
        shipment("71", "22", "2020-04-04T12:25:00", at(200));
        order("22", "2020-04-04T00:12:00", 99.5, at(400));
        shipment("72", "22", "2020-04-05T09:00:00", at(500));
        order("22", "2020-04-04T00:12:00", 25.25, at(100));

        assertThat(highest(shippedVersions())).isEqualTo("72 99.5");
    }

    /** The highest version holds the newest order with the newest shipment, as the index keeps it. */
    @Test
    void aShipmentCommittedBeforeAnOrderUpdateButJoinedAfterItStillSupersedesTheEarlierPairs() {
        order("22", "2020-04-04T00:12:00", 29.71, at(100));
        shipment("71", "22", "2020-04-04T12:25:00", at(200));
        order("22", "2020-04-04T00:12:00", 30.0, at(400));
        // Committed at 300, before the order update, but through the repartition topic it arrives last.
        shipment("72", "22", "2020-04-05T09:00:00", at(300));

        List<String> written = shippedVersions();
        assertThat(written).extracting(ShipmentJoinTopologyTest::pairOf)
                .containsExactly("71 29.71", "71 30.0", "72 29.71", "72 30.0");
        assertThat(highest(written)).isEqualTo("72 30.0");
    }

    @Test
    void ofThePairsOneOrderChangeCompletesTheNewestShipmentsRanksHighest() {
        shipment("71", "22", "2020-04-04T12:25:00", at(100));
        shipment("72", "22", "2020-04-05T09:00:00", at(200));
        order("22", "2020-04-04T00:12:00", at(300));

        List<String> written = shippedVersions();
        assertThat(versionOf(written, "72 29.71")).isGreaterThan(versionOf(written, "71 29.71"));
        assertThat(versionOf(written, "71 29.71") >>> ShippedOrderVersion.CLOSENESS_BITS).isEqualTo(at(300));
    }

    @Test
    void ofThePairsOneShipmentCompletesTheNewestOrdersRanksHighest() {
        order("22", "2020-04-04T00:12:00", 29.71, at(100));
        order("22", "2020-04-04T00:12:00", 30.0, at(200));
        shipment("71", "22", "2020-04-04T12:25:00", at(300));

        List<String> written = shippedVersions();
        assertThat(versionOf(written, "71 30.0")).isGreaterThan(versionOf(written, "71 29.71"));
    }

    @Test
    void aChangeWithoutAPositionCountsAsTheOldest() {
        order("22", "2020-04-04T00:12:00", at(100));
        shipment("71", "22", "2020-04-04T12:25:00", at(200));
        shipment("72", "22", "2020-04-05T09:00:00");

        List<String> written = shippedVersions();
        assertThat(versionOf(written, "72 29.71")).isEqualTo(ShippedOrderVersion.of(at(100), 0))
                .isLessThan(versionOf(written, "71 29.71"));
    }

    /** ./pipeline reset, say: the join starts empty and reads its inputs again, in another order. */
    @Test
    void reprocessingTheSameInputsFromEmptyStateGivesEveryPairTheVersionItHad() {
        Runnable orders = () -> {
            order("22", "2020-04-04T00:12:00", 29.71, at(100));
            order("22", "2020-04-04T00:12:00", 30.0, at(400));
        };
        Runnable shipments = () -> {
            shipment("71", "22", "2020-04-04T12:25:00", at(200));
            shipment("72", "22", "2020-04-05T09:00:00", at(300));
        };
        orders.run();
        shipments.run();
        List<String> first = shippedVersions();
        closeDriver();
        startDriver();
        shipments.run();
        orders.run();

        assertThat(shippedVersions()).containsExactlyInAnyOrderElementsOf(first);
    }

    @Test
    void theJoinKeepsNoStateBeyondItsTwoWindows() {
        assertThat(driver.getAllStateStores().keySet())
                .containsExactlyInAnyOrder(ShipmentJoinTopology.JOIN_STORE + "-this-join-store",
                        ShipmentJoinTopology.JOIN_STORE + "-other-join-store");
    }

    @Test
    void aShipmentOfAnotherOrderDoesNotJoin() {
        order("22", "2020-04-04T00:12:00");
        shipment("71", "23", "2020-04-04T12:25:00");

        assertThat(shipped.isEmpty()).isTrue();
    }

    @Test
    void anOrderWithAnUnknownCustomerShipsWithNullCustomerFields() {
        order(new EnrichedOrder("40", "99", null, null, 10.0, "usd", "2020-04-03T11:20:00"));
        shipment("80", "40", "2020-04-04T11:20:00");

        assertThat(shipped.readValuesToList())
                .containsExactly(new ShippedOrder("40", "80", "99", null, null, "iowa", 10.0, "usd"));
    }

    @Test
    void aShipmentLaterThanTheGracePeriodIsCountedAndNotJoined() {
        order("22", "2020-04-10T00:00:00");
        order("23", "2020-04-20T00:00:00");
        // Its window closed at 04-17T12:00 and grace ended 04-18T12:00, before stream time 04-20.
        shipment("71", "22", "2020-04-10T12:00:00");

        assertThat(shipped.isEmpty()).isTrue();
        assertThat(lateRecords("shipment")).isEqualTo(1.0);
        assertThat(lateRecords("order")).isEqualTo(0.0);
    }

    @Test
    void aShipmentOutOfOrderButWithinTheGracePeriodJoins() {
        order("22", "2020-04-10T00:00:00");
        order("23", "2020-04-18T00:00:00");
        shipment("71", "22", "2020-04-10T12:00:00");

        assertThat(shipped.readValuesToList()).containsExactly(shippedSue("22", "71"));
        assertThat(lateRecords("shipment")).isEqualTo(0.0);
    }

    @Test
    void undecodableShipmentBytesGoToTheDeadLetterTopicAndTheJoinCarriesOn() {
        rawShipments.pipeInput("71", "not avro".getBytes(StandardCharsets.UTF_8));
        order("22", "2020-04-04T00:12:00");
        shipment("71", "22", "2020-04-04T12:25:00");

        TestRecord<byte[], byte[]> deadLetter = shipmentsDeadLetters.readRecord();
        assertThat(deadLetter.getValue()).isEqualTo("not avro".getBytes(StandardCharsets.UTF_8));
        assertThat(DeadLetterHeaders.header(deadLetter.getHeaders(), DeadLetterHeaders.STAGE)).isEqualTo("deserialize");
        assertThat(DeadLetterHeaders.header(deadLetter.getHeaders(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(Topics.SHIPMENTS.name());
        assertThat(DeadLetterHeaders.header(deadLetter.getHeaders(), DeadLetterHeaders.ERROR_MESSAGE))
                .startsWith("Cannot decode a Shipment from topic my-replica-set.logistics.shipments (8 bytes)");
        assertThat(shipped.readValuesToList()).containsExactly(shippedSue("22", "71"));
    }

    @Test
    void aShipmentWithAnUnparsableTsGoesToTheDeadLetterTopic() {
        Shipment badTs = new Shipment("71", "22", "iowa", "2020-04-04 12:25");
        byte[] asRead = CONFIG.shipments().serializeValue(badTs);
        rawShipments.pipeInput("71", asRead, EventTime.parse("2020-04-04T12:25:00"));

        TestRecord<byte[], byte[]> deadLetter = shipmentsDeadLetters.readRecord();
        assertThat(deadLetter.getValue()).isEqualTo(asRead);
        assertThat(DeadLetterHeaders.header(deadLetter.getHeaders(), DeadLetterHeaders.STAGE)).isEqualTo("process:check-shipment-ts");
        assertThat(DeadLetterHeaders.header(deadLetter.getHeaders(), DeadLetterHeaders.ERROR_MESSAGE))
                .isEqualTo("ts '2020-04-04 12:25' is not yyyy-MM-dd'T'HH:mm:ss");
    }

    private double lateRecords(String side) {
        return driver.metrics().entrySet().stream()
                .filter(e -> e.getKey().name().equals(LateRecordFilter.METRIC_OPERATION + "-total"))
                .filter(e -> side.equals(e.getKey().tags().get(LateRecordFilter.METRIC_SCOPE + "-id")))
                .map(Map.Entry::getValue)
                .map(Metric::metricValue)
                .map(v -> ((Number) v).doubleValue())
                .findFirst().orElse(0.0);
    }

}
