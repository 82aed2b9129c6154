package io.streamingetl.shipments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingetl.avro.Customer;
import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.Shipment;
import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.DeadLetterHeaders;
import io.streamingetl.contract.EventTime;
import io.streamingetl.contract.Topics;
import io.streamingetl.localstack.Engines;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.localstack.TutorialData;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.TopicAdmin;
import io.streamingetl.testkit.ServiceUnderTest;
import io.streamingetl.testkit.TopicProbe;
import io.streamingetl.testkit.TopicWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.AbstractMap.SimpleEntry;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** shipment-join-service on a real broker, exactly-once, with all its input in the topics before it starts. */
abstract class ShipmentJoinScenarios {
    private static final Duration WAIT = Duration.ofSeconds(90);

    private final Engines engines;
    private final ServiceUnderTest service = new ServiceUnderTest(ShipmentJoinApp.SERVICE);
    private final ServiceUnderTest secondInstance = new ServiceUnderTest(ShipmentJoinApp.SERVICE);

    ShipmentJoinScenarios(Engines engines) {
        this.engines = engines;
    }

    @AfterEach
    void stop() {
        service.close();
        secondInstance.close();
    }

    @Test
    void theTutorialGivesTheFiveShippedOrdersWhenEverythingIsInTheTopicsBeforeStart() throws Exception {
        String prefix = "ship-" + engines.kind() + "-";
        Settings settings = ServiceUnderTest.settings(engines, prefix, Map.of(
                "ENRICHED_ORDERS_TOPIC", prefix + Topics.ENRICHED_ORDERS.name(),
                "SHIPMENTS_TOPIC", prefix + Topics.SHIPMENTS.name(),
                "SHIPPED_ORDERS_TOPIC", prefix + Topics.SHIPPED_ORDERS.name()));
        ShipmentJoinConfig config = ShipmentJoinConfig.from(settings);
        TopicAdmin.ensureTopics(engines.kafkaBootstrapServers(),
                List.of(config.enrichedOrders().name(), config.shipments().name(), config.shippedOrders().name()), 2, (short) 1);
        TutorialData tutorial = TutorialData.load();
        Map<String, Customer> customers = tutorial.customers().stream()
                .collect(Collectors.toMap(Customer::getId, Function.identity()));
        try (TopicWriter writer = new TopicWriter(engines.kafkaBootstrapServers())) {
            tutorial.orders().forEach(o -> writer.write(config.enrichedOrders(), o.getOrderId(),
                    new EnrichedOrder(o.getOrderId(), o.getCustomerId(), customers.get(o.getCustomerId()).getName(),
                            customers.get(o.getCustomerId()).getAge(), o.getPrice(), o.getCurrency(), o.getTs()), EventTime.parse(o.getTs())));
            writer.writeRaw(config.shipments().name(), "99", "garbage".getBytes(StandardCharsets.UTF_8), null);
            tutorial.shipments().forEach(s -> writer.write(config.shipments(), s.getShipmentId(), s, EventTime.parse(s.getTs())));
        }

        service.start(settings);

        assertThat(HttpProbe.awaitOk(service.url("/health/ready"), WAIT).status())
                .isEqualTo(200);
        try (TopicProbe shipped = new TopicProbe(engines.kafkaBootstrapServers(), config.shippedOrders().name())) {
            assertThat(shipped.await(5, WAIT).stream()
                    .map(r -> new SimpleEntry<>(new String(r.key(), StandardCharsets.UTF_8),
                            config.shippedOrders().deserializeValue(r.value())))
                    .toList())
                    .containsExactlyInAnyOrder(
                            new SimpleEntry<>("17", new ShippedOrder("17", "75", "5", "fred", 34, "texas", 25.25, "eur")),
                            new SimpleEntry<>("22", new ShippedOrder("22", "71", "7", "sue", 25, "iowa", 29.71, "aud")),
                            new SimpleEntry<>("29", new ShippedOrder("29", "89", "7", "sue", 25, "california", 15.0, "aud")),
                            new SimpleEntry<>("13", new ShippedOrder("13", "92", "2", "bill", 51, "maine", 50.5, "usd")),
                            new SimpleEntry<>("15", new ShippedOrder("15", "95", "5", "fred", 34, "florida", 13.75, "usd")));
            assertThat(shipped.drain(Duration.ofSeconds(3))).isEmpty();
        }
        try (TopicProbe deadLetters = new TopicProbe(engines.kafkaBootstrapServers(), config.shipments().deadLetters())) {
            ConsumerRecord<byte[], byte[]> deadLetter = deadLetters.await(1, WAIT).get(0);
            assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo("garbage");
            assertThat(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.STAGE))
                    .isEqualTo("deserialize");
        }
        assertThat(HttpProbe.get(service.url("/metrics")).body())
                .contains("pipeline_dead_letters_total{service=\"shipment-join-service\",source_topic=\""
                        + config.shipments().name() + "\",stage=\"deserialize\"} 1.0");
    }

    /**
     * A shipped order too large for the join's producer (its max.request.size lowered to 200 kB through the Streams
     * pass-through), triggered by a shipment read from the join's repartition topic: its dead letter lands on the
     * shipments' dead-letter topic, which the service created, saying where it was read; the join goes on.
     */
    @Test
    void aShipmentTriggeredShippedOrderTooLargeForKafkaIsADeadLetterOfTheShipmentsTopicAndTheJoinGoesOn() throws Exception {
        String prefix = "ship-large-" + engines.kind() + "-";
        Settings settings = ServiceUnderTest.settings(engines, prefix, Map.of(
                "ENRICHED_ORDERS_TOPIC", prefix + Topics.ENRICHED_ORDERS.name(),
                "SHIPMENTS_TOPIC", prefix + Topics.SHIPMENTS.name(),
                "SHIPPED_ORDERS_TOPIC", prefix + Topics.SHIPPED_ORDERS.name(),
                "KAFKA_STREAMS_PRODUCER_MAX_REQUEST_SIZE", "200000"));
        ShipmentJoinConfig config = ShipmentJoinConfig.from(settings);
        TopicAdmin.ensureTopics(engines.kafkaBootstrapServers(),
                List.of(config.enrichedOrders().name(), config.shipments().name(), config.shippedOrders().name()), 1, (short) 1);
        String wide = "x".repeat(120_000); // each side fits alone, the shipped order carrying both does not
        try (TopicWriter writer = new TopicWriter(engines.kafkaBootstrapServers())) {
            writer.write(config.enrichedOrders(), "1", new EnrichedOrder("1", "7", "sue", 25, 1.0, wide, "2020-04-02T10:00:00"),
                    EventTime.parse("2020-04-02T10:00:00"));
            writer.write(config.shipments(), "s1", new Shipment("s1", "1", wide, "2020-04-02T11:00:00"),
                    EventTime.parse("2020-04-02T11:00:00"));
            writer.write(config.enrichedOrders(), "2", new EnrichedOrder("2", "7", "sue", 25, 2.0, "aud", "2020-04-02T12:00:00"),
                    EventTime.parse("2020-04-02T12:00:00"));
            writer.write(config.shipments(), "s2", new Shipment("s2", "2", "ohio", "2020-04-02T13:00:00"),
                    EventTime.parse("2020-04-02T13:00:00"));
        }

        service.start(settings);

        try (TopicProbe shipped = new TopicProbe(engines.kafkaBootstrapServers(), config.shippedOrders().name())) {
            assertThat(shipped.await(1, WAIT)).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactly("2");
        }
        try (TopicProbe deadLetters = new TopicProbe(engines.kafkaBootstrapServers(), config.shipments().deadLetters())) {
            ConsumerRecord<byte[], byte[]> deadLetter = deadLetters.await(1, WAIT).get(0);
            assertThat(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.STAGE))
                    .isEqualTo("produce:" + config.shippedOrders().name());
            assertThat(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.SOURCE_TOPIC))
                    .isEqualTo(prefix + "app-" + ShipmentJoinTopology.SHIPMENTS_BY_ORDER + "-repartition");
        }
        assertThat(HttpProbe.get(service.url("/health/ready")).status()).isEqualTo(200);
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", engines.kafkaBootstrapServers()))) {
            assertThat(admin.listTopics().names().get()).noneMatch(t -> t.endsWith("-repartition.dlq"));
        }
    }

    /**
     * Two instances with a standby (NUM_STANDBY_REPLICAS=1): the one without the join's task keeps a copy of its stores
     * and says how far behind its changelogs; the active one stopped, the other takes the task over restoring only
     * what its copy had not read, /status and /metrics say the restoration and that it is done, and the orders held
     * before meet their shipments.
     */
    @Test
    @SuppressWarnings("unchecked")
    void aSecondInstanceKeepsAStandbyOfTheJoinsStateAndTakesItOverWithoutRestoringIt() throws Exception {
        String prefix = "ship-standby-" + engines.kind() + "-";
        Settings settings = ServiceUnderTest.settings(engines, prefix, Map.of(
                "ENRICHED_ORDERS_TOPIC", prefix + Topics.ENRICHED_ORDERS.name(),
                "SHIPMENTS_TOPIC", prefix + Topics.SHIPMENTS.name(),
                "SHIPPED_ORDERS_TOPIC", prefix + Topics.SHIPPED_ORDERS.name(),
                "NUM_STANDBY_REPLICAS", "1"));
        ShipmentJoinConfig config = ShipmentJoinConfig.from(settings);
        TopicAdmin.ensureTopics(engines.kafkaBootstrapServers(),
                List.of(config.enrichedOrders().name(), config.shipments().name(), config.shippedOrders().name()), 1, (short) 1);
        int orders = 200;
        try (TopicWriter writer = new TopicWriter(engines.kafkaBootstrapServers())) {
            for (int o = 1; o <= orders; o++) {
                writer.write(config.enrichedOrders(), Integer.toString(o), new EnrichedOrder(Integer.toString(o), "7", "sue", 25,
                        1.0 * o, "aud", "2020-04-02T10:00:00"), EventTime.parse("2020-04-02T10:00:00"));
            }
            writer.write(config.shipments(), "s1", new Shipment("s1", "1", "ohio", "2020-04-02T11:00:00"),
                    EventTime.parse("2020-04-02T11:00:00"));
        }
        service.start(settings);
        try (TopicProbe shipped = new TopicProbe(engines.kafkaBootstrapServers(), config.shippedOrders().name())) {
            assertThat(shipped.await(1, WAIT)).extracting(r -> new String(r.key(), StandardCharsets.UTF_8)).containsExactly("1");
            secondInstance.start(settings.with("STATE_DIR", java.nio.file.Files.createTempDirectory("streams").toString()));

            // Whichever instance the join's task went to, the other keeps a standby copy, caught up with its changelog.
            // Whichever instance the join's task went to, the other keeps a standby copy; one more order written, the
            // copy says it has loaded the changelog to its end (a copy current from the start has no batch to say it by).
            await().atMost(WAIT).until(this::instanceKeepingAStandby, instance -> instance != null);
            try (TopicWriter writer = new TopicWriter(engines.kafkaBootstrapServers())) {
                writer.write(config.enrichedOrders(), Integer.toString(orders + 1), new EnrichedOrder(Integer.toString(orders + 1),
                        "7", "sue", 25, 1.0, "aud", "2020-04-02T10:00:00"), EventTime.parse("2020-04-02T10:00:00"));
            }
            ServiceUnderTest standby = await().atMost(WAIT).until(this::instanceKeepingAStandby, instance -> instance != null
                    && thisSide(status(instance), "standby").map(b -> b.get("partitions_caught_up").equals(b.get("partitions"))).orElse(false));
            ServiceUnderTest active = standby == service ? secondInstance : service;
            Object joinTask = ((List<?>) status(standby).get("standby_tasks")).get(0);
            await().atMost(WAIT).until(() -> ((List<?>) status(active).get("active_tasks")).contains(joinTask));
            assertThat(HttpProbe.get(standby.url("/metrics")).body()).containsPattern(
                    "pipeline_streams_standby_records_behind\\{[^}]*store=\"[^\"]*this-join-store\"[^}]*} 0\\.0");

            active.stop();

            Map<String, Object> promoted = await().atMost(WAIT).until(() -> status(standby),
                    s -> ((List<?>) s.get("active_tasks")).contains(joinTask) && "RUNNING".equals(s.get("streams_state"))
                            && thisSide(s, "restoration").map(r -> Boolean.TRUE.equals(r.get("done"))).orElse(false));
            assertThat(thisSide(promoted, "restoration").orElseThrow().get("records_restored")).as("what the copy had not read")
                    .satisfies(restored -> assertThat(((Number) restored).longValue()).isLessThan(orders));
            assertThat(HttpProbe.get(standby.url("/metrics")).body()).containsPattern(
                    "pipeline_streams_restoring_partitions\\{[^}]*store=\"[^\"]*this-join-store\"[^}]*} 0\\.0");
            try (TopicWriter writer = new TopicWriter(engines.kafkaBootstrapServers())) {
                writer.write(config.shipments(), "s200", new Shipment("s200", Integer.toString(orders), "iowa", "2020-04-02T11:00:00"),
                        EventTime.parse("2020-04-02T11:00:00"));
            }
            assertThat(shipped.await(1, WAIT)).extracting(r -> new String(r.key(), StandardCharsets.UTF_8))
                    .containsExactly(Integer.toString(orders));
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> status(ServiceUnderTest instance) {
        try {
            return new ObjectMapper().readValue(HttpProbe.get(instance.url("/status")).body(), Map.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The instance that keeps a standby task, or null while neither does. */
    private ServiceUnderTest instanceKeepingAStandby() {
        for (ServiceUnderTest instance : List.of(service, secondInstance)) {
            if (!((List<?>) status(instance).get("standby_tasks")).isEmpty()) {
                return instance;
            }
        }
        return null;
    }

    /** The join's order side store's {@code part} ("standby" or "restoration") on a /status. */
    @SuppressWarnings("unchecked")
    private static Optional<Map<String, Object>> thisSide(Map<String, Object> status, String part) {
        return ((Map<String, Map<String, Object>>) status.get("stores")).entrySet().stream()
                .filter(store -> store.getKey().endsWith("this-join-store")).findFirst()
                .map(store -> (Map<String, Object>) store.getValue().get(part));
    }
}
