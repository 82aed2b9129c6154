package io.streamingetl.logistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import com.mongodb.client.model.Filters;
import com.mongodb.client.model.Updates;
import io.streamingetl.avro.Order;
import io.streamingetl.avro.Shipment;
import io.streamingetl.contract.ChangeHeaders;
import io.streamingetl.contract.DeadLetterHeaders;
import io.streamingetl.contract.EventTime;
import io.streamingetl.contract.Topics;
import io.streamingetl.localstack.Engines;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.localstack.TutorialData;
import io.streamingetl.runtime.DeadLetters;
import io.streamingetl.runtime.Settings;
import io.streamingetl.testkit.ServiceUnderTest;
import io.streamingetl.testkit.TopicProbe;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * logistics-cdc against MongoDB (the stand-in on embedded engines, a real mongo:7 replica set on
 * containers) and a real Kafka broker: each scenario has its own database, offsets topic and output topics.
 */
abstract class LogisticsCdcScenarios {
    private static final AtomicInteger RUN = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String OPS_TOKEN = "logistics-cdc-test-operator-token";

    /** What a test sees of a record: its key, its value and its timestamp. */
    record Captured<V>(String key, V value, long timestamp) {
        static <V> Captured<V> at(String key, V value, String ts) {
            return new Captured<>(key, value, EventTime.toEpochMillis(ts));
        }
    }

    private final Engines engines;
    private final MongoClient mongo;
    private final MongoDatabase logistics;
    private final String ordersTopic;
    private final String shipmentsTopic;
    private final Settings settings;
    private final ServiceUnderTest capture = new ServiceUnderTest(LogisticsCdcApp.SERVICE);
    private TopicProbe orders;
    private TopicProbe shipments;

    LogisticsCdcScenarios(Engines engines) {
        this.engines = engines;
        int run = RUN.incrementAndGet();
        String database = "logistics_" + run;
        this.ordersTopic = "logistics-" + run + "." + Topics.ORDERS.name();
        this.shipmentsTopic = "logistics-" + run + "." + Topics.SHIPMENTS.name();
        this.mongo = MongoClients.create(engines.mongoConnectionString());
        this.logistics = mongo.getDatabase(database);
        TutorialData tutorial = TutorialData.load();
        logistics.getCollection("orders").insertMany(tutorial.orderDocuments().stream().map(Document::new).toList());
        logistics.getCollection("shipments").insertMany(tutorial.shipmentDocuments().stream().map(Document::new).toList());
        this.settings = ServiceUnderTest.settings(engines, "logistics-" + run + "-", Map.ofEntries(
                Map.entry("MONGO_URI", engines.mongoConnectionString()),
                Map.entry("TOPIC_PREFIX", "rs" + run),
                Map.entry("ORDERS_COLLECTION", database + ".orders"),
                Map.entry("SHIPMENTS_COLLECTION", database + ".shipments"),
                Map.entry("SIGNAL_COLLECTION", database + ".debezium_signal"),
                Map.entry("ORDERS_TOPIC", ordersTopic),
                Map.entry("SHIPMENTS_TOPIC", shipmentsTopic),
                Map.entry("OFFSETS_TOPIC", "logistics-" + run + "-offsets"),
                Map.entry("SIGNAL_TOPIC", "logistics-" + run + "-signals"),
                Map.entry("OPS_TOKEN", OPS_TOKEN)));
    }

    private void startCapture() {
        startCapture(settings);
    }

    private void startCapture(Settings settings) {
        capture.start(settings);
        if (orders == null) {
            orders = new TopicProbe(engines.kafkaBootstrapServers(), ordersTopic);
            shipments = new TopicProbe(engines.kafkaBootstrapServers(), shipmentsTopic);
        }
    }

    private void stopCapture() {
        capture.stop();
    }

    @AfterEach
    void stop() {
        capture.close();
        if (orders != null) {
            orders.close();
            shipments.close();
        }
        mongo.close();
    }

    private List<Captured<Order>> nextOrders(int count) {
        return orders.await(count, WAIT).stream().map(r -> new Captured<>(key(r),
                Topics.ORDERS.registeredIn(engines.schemaRegistry()).deserializeValue(r.value()), r.timestamp())).toList();
    }

    private List<Captured<Shipment>> nextShipments(int count) {
        return shipments.await(count, WAIT).stream().map(r -> new Captured<>(key(r),
                Topics.SHIPMENTS.registeredIn(engines.schemaRegistry()).deserializeValue(r.value()), r.timestamp())).toList();
    }

    private static String key(ConsumerRecord<byte[], byte[]> record) {
        return new String(record.key(), StandardCharsets.UTF_8);
    }

    /**
     * Waits for {@code count} offset flushes of the engine after {@code sinceMillis} (each one stores the
     * positions of what was marked processed since the previous one), as a running service would have had.
     */
    private void awaitOffsetsStoredSince(long sinceMillis, int count) {
        try (TopicProbe offsets = new TopicProbe(engines.kafkaBootstrapServers(), settings.string("OFFSETS_TOPIC", ""))) {
            long stored = 0;
            while (stored < count) {
                stored += offsets.await(1, WAIT).stream().filter(r -> r.timestamp() >= sinceMillis).count();
            }
        }
    }

    /** An incremental snapshot of the orders (Debezium's chunks, signals and watermarks, on the stand-in too) under a condition. */
    @Test
    void anIncrementalSnapshotWithAConditionReReadsTheOrdersItSelectsWhileStreamingGoesOn() throws Exception {
        startCapture();
        int tutorialOrders = TutorialData.load().orderDocuments().size();
        nextOrders(tutorialOrders);

        HttpProbe.Answer asked = HttpProbe.post(capture.url("/snapshot?collection=orders&where="
                + URLEncoder.encode("order_id = '22'", StandardCharsets.UTF_8)), Map.of("Authorization", "Bearer " + OPS_TOKEN));
        logistics.getCollection("orders").insertOne(new Document(Map.of("customer_id", "7", "order_id", "99", "price", 3.0,
                "currency", "usd", "ts", "2020-04-03T11:20:00")));

        assertThat(asked.status()).as(asked.body()).isEqualTo(202);
        assertThat(asked.body()).contains("\"rows_total\":1");
        await().atMost(WAIT).until(() -> HttpProbe.get(capture.url("/status")).body(), body -> body.contains("\"state\":\"completed\""));
        assertThat(nextOrders(2)).extracting(Captured::key).containsExactlyInAnyOrder("22", "99");
        assertThat(orders.drain(Duration.ofSeconds(1))).as("nothing more than the condition selects").isEmpty();
    }

    /**
     * A re-snapshot Debezium never acts on (its Kafka signal channel off here): failed after SNAPSHOT_REQUEST_TIMEOUT,
     * said on /status, and the next request accepted rather than refused behind it for ever.
     */
    @Test
    void aSnapshotRequestDebeziumNeverActsOnIsFailedAfterTheRequestTimeoutAndTheNextIsAccepted() throws Exception {
        startCapture(settings.with("SNAPSHOT_REQUEST_TIMEOUT", "2s").with("DEBEZIUM_SIGNAL_ENABLED_CHANNELS", "source"));
        nextOrders(TutorialData.load().orderDocuments().size());
        Map<String, String> operator = Map.of("Authorization", "Bearer " + OPS_TOKEN);

        HttpProbe.Answer first = HttpProbe.post(capture.url("/snapshot?collection=orders"), operator);
        HttpProbe.Answer whileRequested = HttpProbe.post(capture.url("/snapshot?collection=orders"), operator);
        String failed = await().atMost(WAIT).until(() -> HttpProbe.get(capture.url("/status")).body(),
                body -> body.contains("\"state\":\"failed\""));
        HttpProbe.Answer next = HttpProbe.post(capture.url("/snapshot?collection=orders"), operator);

        assertThat(first.status()).as(first.body()).isEqualTo(202);
        assertThat(whileRequested.status()).isEqualTo(409);
        assertThat(failed).contains("Debezium did not acknowledge the snapshot signal within 2000 ms (SNAPSHOT_REQUEST_TIMEOUT)");
        assertThat(next.status()).as(next.body()).isEqualTo(202);
    }

    @Test
    void theTutorialsOrdersAndShipmentsArriveFromTheSnapshotAtTheirEventTime() {
        startCapture();

        assertThat(nextOrders(5)).containsExactly(
                Captured.at("13", new Order("13", "2", 50.50, "usd", "2020-04-03T11:20:00"), "2020-04-03T11:20:00"),
                Captured.at("29", new Order("29", "7", 15.00, "aud", "2020-04-02T12:36:00"), "2020-04-02T12:36:00"),
                Captured.at("17", new Order("17", "5", 25.25, "eur", "2020-04-02T17:22:00"), "2020-04-02T17:22:00"),
                Captured.at("15", new Order("15", "5", 13.75, "usd", "2020-04-03T02:55:00"), "2020-04-03T02:55:00"),
                Captured.at("22", new Order("22", "7", 29.71, "aud", "2020-04-04T00:12:00"), "2020-04-04T00:12:00"));
        assertThat(nextShipments(5)).containsExactly(
                Captured.at("75", new Shipment("75", "17", "texas", "2020-04-04T19:20:00"), "2020-04-04T19:20:00"),
                Captured.at("71", new Shipment("71", "22", "iowa", "2020-04-04T12:25:00"), "2020-04-04T12:25:00"),
                Captured.at("89", new Shipment("89", "29", "california", "2020-04-05T13:21:00"), "2020-04-05T13:21:00"),
                Captured.at("92", new Shipment("92", "13", "maine", "2020-04-04T06:13:00"), "2020-04-04T06:13:00"),
                Captured.at("95", new Shipment("95", "15", "florida", "2020-04-04T01:13:00"), "2020-04-04T01:13:00"));
    }

    @Test
    void insertsAndUpdatesAfterStartArrive() {
        startCapture();
        nextOrders(5);
        nextShipments(5);

        logistics.getCollection("orders").insertOne(new Document(Map.of("customer_id", "9", "order_id", "31",
                "price", 525.50, "currency", "usd", "ts", "2020-04-03T11:20:00")));
        logistics.getCollection("orders").updateOne(Filters.eq("order_id", "31"), Updates.set("price", 500.0));
        logistics.getCollection("shipments").insertOne(new Document(Map.of("order_id", "31", "shipment_id", "97",
                "origin", "new jersey", "ts", "2020-04-04T19:20:00")));

        assertThat(nextOrders(2)).containsExactly(
                Captured.at("31", new Order("31", "9", 525.50, "usd", "2020-04-03T11:20:00"), "2020-04-03T11:20:00"),
                Captured.at("31", new Order("31", "9", 500.0, "usd", "2020-04-03T11:20:00"), "2020-04-03T11:20:00"));
        assertThat(nextShipments(1)).containsExactly(
                Captured.at("97", new Shipment("97", "31", "new jersey", "2020-04-04T19:20:00"), "2020-04-04T19:20:00"));
    }

    @Test
    void anOrderAndItsShipmentCarryTheirPositionsInMongosLogTheLaterHigher() {
        startCapture();
        nextOrders(5);
        nextShipments(5);

        logistics.getCollection("orders").insertOne(new Document(Map.of("customer_id", "9", "order_id", "31",
                "price", 525.50, "currency", "usd", "ts", "2020-04-03T11:20:00")));
        logistics.getCollection("shipments").insertOne(new Document(Map.of("order_id", "31", "shipment_id", "97",
                "origin", "new jersey", "ts", "2020-04-04T19:20:00")));

        long order = ChangeHeaders.version(orders.await(1, WAIT).get(0).headers());
        long shipment = ChangeHeaders.version(shipments.await(1, WAIT).get(0).headers());
        assertThat(order).as("cluster time, seconds << 20 | ordinal").isGreaterThan(ChangeHeaders.mongoPosition(1_600_000_000L, 0))
                .isLessThan(1L << 52);
        assertThat(shipment).isGreaterThan(order);
    }

    /** A document too large for Kafka is a dead letter that fits, and the next document arrives. */
    @Test
    void aTwoMibDocumentIsADeadLetterThatFitsAndTheNextDocumentArrives() {
        startCapture();
        nextOrders(5);

        ConsumerRecord<byte[], byte[]> deadLetter = deadLetterAfterInsertingOrders(
                new Document(Map.of("order_id", "60", "customer_id", "7", "price", 1.0, "currency", "x".repeat(2 * 1024 * 1024),
                        "ts", "2020-04-03T11:20:00")),
                new Document(Map.of("order_id", "61", "customer_id", "7", "price", 2.0, "currency", "usd", "ts", "2020-04-03T11:20:00")));

        assertThat(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.STAGE)).isEqualTo("size");
        assertThat(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.ERROR_MESSAGE))
                .startsWith("the change is 20").endsWith(" bytes as a record of " + ordersTopic + ", over MAX_CHANGE_BYTES (1000000)");
        assertThat(deadLetter.value()).hasSizeLessThanOrEqualTo(DeadLetters.MAX_PAYLOAD_BYTES);
        assertThat(nextOrders(1)).extracting(Captured::key).containsExactly("61");
        assertThat(capture.health().isReady()).isTrue();
    }

    @Test
    void aMissingPriceCurrencyOrOriginIsNullOnlyAMissingIdOrTsIsMalformed() {
        startCapture();
        nextOrders(5);
        nextShipments(5);

        logistics.getCollection("orders").insertOne(new Document(Map.of("customer_id", "9", "order_id", "31",
                "ts", "2020-04-03T11:20:00")));
        logistics.getCollection("shipments").insertOne(new Document(Map.of("order_id", "31", "shipment_id", "97",
                "ts", "2020-04-04T19:20:00")));

        assertThat(nextOrders(1)).containsExactly(
                Captured.at("31", new Order("31", "9", null, null, "2020-04-03T11:20:00"), "2020-04-03T11:20:00"));
        assertThat(nextShipments(1)).containsExactly(
                Captured.at("97", new Shipment("97", "31", null, "2020-04-04T19:20:00"), "2020-04-04T19:20:00"));
    }

    @Test
    void aDeletedOrderIsDropped() {
        startCapture();
        nextOrders(5);

        logistics.getCollection("orders").deleteOne(Filters.eq("order_id", "13"));
        logistics.getCollection("orders").insertOne(new Document(Map.of("customer_id", "9", "order_id", "31",
                "price", 525.50, "currency", "usd", "ts", "2020-04-03T11:20:00")));

        assertThat(nextOrders(1)).extracting(Captured::key).containsExactly("31");
    }

    @Test
    void badDocumentsLandInTheDeadLetterTopicWithTheirReasonAndCaptureCarriesOn() {
        startCapture();
        nextOrders(5);
        logistics.getCollection("orders").insertMany(List.of(
                new Document(Map.of("order_id", "40", "customer_id", "7", "price", 1.0, "currency", "usd")),
                new Document(Map.of("order_id", "41", "customer_id", "7", "price", 1.0, "currency", "usd", "ts", "yesterday")),
                new Document(Map.of("customer_id", "7", "price", 1.0, "currency", "usd", "ts", "2020-04-03T11:20:00")),
                new Document(Map.of("order_id", "43", "customer_id", "7", "price", "12.50", "currency", "usd", "ts", "2020-04-03T11:20:00")),
                new Document(Map.of("order_id", "44", "customer_id", "7", "price", 2.0, "currency", "usd", "ts", "2020-04-03T11:20:00"))));

        try (TopicProbe deadLetters = new TopicProbe(engines.kafkaBootstrapServers(), Topics.deadLetterOf(ordersTopic))) {
            assertThat(deadLetters.await(4, WAIT).stream().map(r -> DeadLetterHeaders.header(r.headers(), DeadLetterHeaders.ERROR_MESSAGE)).toList())
                    .containsExactly("ts is missing", "ts 'yesterday' is not yyyy-MM-dd'T'HH:mm:ss",
                            "order_id is missing", "price must be a number, was String 12.50");
        }
        assertThat(nextOrders(1)).extracting(Captured::key).containsExactly("44");
    }

    @Test
    void aRestartResumesWithoutANewSnapshotAndWithoutLosingWhatWasWrittenMeanwhile() {
        startCapture();
        nextOrders(5);
        nextShipments(5);
        logistics.getCollection("shipments").insertOne(new Document(Map.of("order_id", "31", "shipment_id", "97",
                "origin", "new jersey", "ts", "2020-04-04T19:20:00")));
        nextShipments(1);
        awaitOffsetsStoredSince(System.currentTimeMillis(), 1);
        stopCapture();

        logistics.getCollection("orders").insertOne(new Document(Map.of("customer_id", "9", "order_id", "31",
                "price", 525.50, "currency", "usd", "ts", "2020-04-03T11:20:00")));
        startCapture();

        assertThat(nextOrders(1)).containsExactly(
                Captured.at("31", new Order("31", "9", 525.50, "usd", "2020-04-03T11:20:00"), "2020-04-03T11:20:00"));
        assertThat(orders.drain(Duration.ofSeconds(5))).isEmpty();
        assertThat(shipments.drain(Duration.ofSeconds(1))).isEmpty();
    }

    private ConsumerRecord<byte[], byte[]> deadLetterAfterInsertingOrders(Document... documents) {
        logistics.getCollection("orders").insertMany(List.of(documents));
        try (TopicProbe deadLetters = new TopicProbe(engines.kafkaBootstrapServers(), Topics.deadLetterOf(ordersTopic))) {
            return deadLetters.await(1, WAIT).get(0);
        }
    }

    @Test
    void aDocumentStampedFurtherAheadThanTheAllowedSkewIsDeadLetteredAndCaptureCarriesOn() {
        startCapture();
        nextOrders(5);
        String future = EventTime.format(Instant.now().plus(Duration.ofHours(2)).truncatedTo(ChronoUnit.SECONDS));

        ConsumerRecord<byte[], byte[]> deadLetter = deadLetterAfterInsertingOrders(
                new Document(Map.of("order_id", "50", "customer_id", "7", "price", 1.0, "currency", "usd", "ts", future)),
                new Document(Map.of("order_id", "51", "customer_id", "7", "price", 2.0, "currency", "usd", "ts", "2020-04-03T11:20:00")));

        assertThat(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.STAGE)).isEqualTo("map");
        assertThat(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.ERROR_MESSAGE))
                .startsWith("ts " + future + " is more than MAX_EVENT_TIME_SKEW (PT1H) ahead of the capture time ");
        assertThat(nextOrders(1)).extracting(Captured::key).containsExactly("51");
    }

    @Test
    void aChangeTheBrokerRefusesIsDeadLetteredAndCaptureCarriesOn() {
        // Skew allowed by the capture, so the broker's own limit (message.timestamp.after.max.ms, 1 h) refuses it.
        startCapture(settings.with(LogisticsCdcConfig.MAX_EVENT_TIME_SKEW, "36500d"));
        nextOrders(5);

        ConsumerRecord<byte[], byte[]> deadLetter = deadLetterAfterInsertingOrders(
                new Document(Map.of("order_id", "50", "customer_id", "7", "price", 1.0, "currency", "usd", "ts", "2030-01-01T00:00:00")),
                new Document(Map.of("order_id", "51", "customer_id", "7", "price", 2.0, "currency", "usd", "ts", "2020-04-03T11:20:00")));

        assertThat(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.STAGE)).isEqualTo("produce");
        assertThat(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.ERROR_CLASS))
                .isEqualTo("org.apache.kafka.common.errors.InvalidTimestampException");
        assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).contains("\"order_id\":\"50\"");
        assertThat(nextOrders(1)).extracting(Captured::key).containsExactly("51");
    }

    @Test
    void aQuietDatabaseStillMovesItsStoredPositionOnThroughHeartbeats() {
        startCapture(settings.with("HEARTBEAT_INTERVAL", "500ms"));
        nextOrders(5);
        nextShipments(5);
        logistics.getCollection("orders").insertOne(Document.parse(
                "{\"customer_id\": \"5\", \"order_id\": \"44\", \"price\": 1.0, \"currency\": \"usd\", \"ts\": \"2020-04-03T11:20:00\"}"));
        nextOrders(1);
        long quietSince = System.currentTimeMillis();

        // No change meanwhile: only heartbeats give the engine new positions to store (await fails if none come).
        awaitOffsetsStoredSince(quietSince, 2);
        // ... and leave the source time of the last change streamed as it was (the stand-in's carry sec=-1).
        assertThat(HttpProbe.get(capture.url("/metrics")).body())
                .containsPattern("pipeline_cdc_last_event_source_time_seconds\\{[^}]*} 1\\.[0-9]+E9");
    }

    /**
     * Capture stopped past the oplog's reach: its change log truncated (as a real oplog rolls over) after a change made
     * while it was stopped. The stand-in's own command; a mongod's oplog cannot be rolled over on demand, so a real one
     * skips the scenario.
     */
    private void stopAndLoseTheHistoryAfterStoredPosition(Runnable whileStopped) {
        logistics.getCollection("orders").insertOne(new Document(Map.of("customer_id", "9", "order_id", "31",
                "price", 525.50, "currency", "usd", "ts", "2020-04-03T11:20:00")));
        nextOrders(1);
        awaitOffsetsStoredSince(System.currentTimeMillis(), 1);
        stopCapture();
        whileStopped.run();
        try {
            mongo.getDatabase("admin").runCommand(new Document("truncateChangeLog", 1).append("keep", 0));
        } catch (com.mongodb.MongoCommandException e) {
            org.junit.jupiter.api.Assumptions.abort("a real mongod's oplog cannot be rolled over on demand: " + e.getErrorMessage());
        }
    }

    private double metric(String name) {
        return io.streamingetl.runtime.PrometheusText.max(HttpProbe.get(capture.url("/metrics")).body(), name, Map.of())
                .orElse(Double.NaN);
    }

    /**
     * A resume token the oplog no longer has (ON_HISTORY_LOST=fail, the default): capture does not start, stays live
     * (a restart would find the same) and says why on readiness and /status; pipeline_cdc_history_lost is 1 for the alert.
     */
    @Test
    void aResumeTokenTheOplogNoLongerHasStopsCaptureSayingSoOnReadinessStatusAndMetrics() throws Exception {
        startCapture();
        nextOrders(5);
        nextShipments(5);
        stopAndLoseTheHistoryAfterStoredPosition(() -> logistics.getCollection("orders").insertOne(new Document(Map.of(
                "customer_id", "9", "order_id", "32", "price", 1.0, "currency", "usd", "ts", "2020-04-03T11:20:00"))));

        startCapture();

        String ready = await().atMost(WAIT).until(() -> HttpProbe.get(capture.url("/health/ready")).body(),
                body -> body.contains("capture stopped"));
        assertThat(ready).contains("MongoDB's oplog no longer has the changes after the stored resume point")
                .contains("ChangeStreamHistoryLost (286)").contains("ON_HISTORY_LOST=resnapshot");
        assertThat(HttpProbe.get(capture.url("/health/live")).status()).as("live: a restart would find the same").isEqualTo(200);
        assertThat(HttpProbe.get(capture.url("/status")).body()).contains("\"history_lost\":{").contains("\"capture\":\"stopped\"")
                .contains("\"on_history_lost\":\"fail\"");
        assertThat(metric("pipeline_cdc_history_lost")).isEqualTo(1.0);
        assertThat(orders.drain(Duration.ofSeconds(1))).as("nothing captured").isEmpty();
    }

    /**
     * The same loss with ON_HISTORY_LOST=resnapshot: a new snapshot (Debezium's when_needed) captures every document
     * again as it is now, the ones changed while the history was lost included, and streaming goes on after it; /status
     * and the timestamp metric say a re-snapshot was taken for it.
     */
    @Test
    void withOnHistoryLostResnapshotALostResumeTokenTakesANewSnapshotAndEveryDocumentEndsAsTheSource() throws Exception {
        startCapture(settings.with("ON_HISTORY_LOST", "resnapshot"));
        nextOrders(5);
        nextShipments(5);
        stopAndLoseTheHistoryAfterStoredPosition(() -> {
            logistics.getCollection("orders").updateOne(Filters.eq("order_id", "13"), Updates.set("price", 60.0));
            logistics.getCollection("orders").insertOne(new Document(Map.of("customer_id", "9", "order_id", "32", "price", 1.0,
                    "currency", "usd", "ts", "2020-04-03T11:20:00")));
            logistics.getCollection("shipments").insertOne(new Document(Map.of("order_id", "32", "shipment_id", "98",
                    "origin", "ohio", "ts", "2020-04-04T19:20:00")));
        });

        startCapture(settings.with("ON_HISTORY_LOST", "resnapshot"));

        assertThat(HttpProbe.awaitOk(capture.url("/health/ready"), WAIT).status()).isEqualTo(200);
        Map<String, Order> lastOrders = new java.util.TreeMap<>();
        nextOrders(7).forEach(o -> lastOrders.put(o.key(), o.value()));
        Map<String, Shipment> lastShipments = new java.util.TreeMap<>();
        nextShipments(6).forEach(sh -> lastShipments.put(sh.key(), sh.value()));
        Map<String, Double> sourcePrices = new java.util.TreeMap<>();
        logistics.getCollection("orders").find().forEach(d -> sourcePrices.put(d.getString("order_id"), d.getDouble("price")));
        assertThat(lastOrders.keySet()).containsExactlyElementsOf(sourcePrices.keySet());
        lastOrders.forEach((id, order) -> assertThat(order.getPrice()).as("order " + id).isEqualTo(sourcePrices.get(id)));
        assertThat(lastShipments.keySet()).containsExactlyInAnyOrder("71", "75", "89", "92", "95", "98");
        assertThat(HttpProbe.get(capture.url("/status")).body()).contains("\"capture\":\"resnapshot\"");
        assertThat(metric("pipeline_cdc_history_lost")).isZero();
        assertThat(metric("pipeline_cdc_history_lost_timestamp_seconds")).isPositive();

        logistics.getCollection("orders").insertOne(new Document(Map.of("customer_id", "9", "order_id", "33", "price", 2.0,
                "currency", "usd", "ts", "2020-04-03T11:20:00")));
        assertThat(nextOrders(1)).extracting(Captured::key).as("streaming after the snapshot").containsExactly("33");
    }
}
