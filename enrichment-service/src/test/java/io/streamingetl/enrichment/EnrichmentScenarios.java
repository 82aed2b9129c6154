package io.streamingetl.enrichment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.streamingetl.avro.Customer;
import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.Order;
import io.streamingetl.contract.DeadLetterHeaders;
import io.streamingetl.contract.EventTime;
import io.streamingetl.contract.SchemaHistory;
import io.streamingetl.contract.SchemaRegistry;
import io.streamingetl.contract.Topics;
import io.streamingetl.localstack.Engines;
import io.streamingetl.localstack.FreePorts;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.localstack.TutorialData;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.TopicAdmin;
import io.streamingetl.testkit.ServiceUnderTest;
import io.streamingetl.testkit.TopicProbe;
import io.streamingetl.testkit.TopicWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap.SimpleEntry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** enrichment-service on a real broker, exactly-once, with all its input in the topics before it starts. */
abstract class EnrichmentScenarios {
    private static final Duration WAIT = Duration.ofSeconds(90);
    /** Confluent's framing with a schema id no registry here has given out. */
    private static final byte[] UNKNOWN_SCHEMA_ID = {0, 0, 0x0f, 0x42, 0x3f, 2, 0x41};

    private final Engines engines;
    private final ServiceUnderTest service = new ServiceUnderTest(EnrichmentApp.SERVICE);

    EnrichmentScenarios(Engines engines) {
        this.engines = engines;
    }

    @AfterEach
    void stop() {
        service.close();
    }

    @Test
    void ordersOf2020MeetCustomersCapturedTodayWhenEverythingIsInTheTopicsBeforeStart() throws Exception {
        String prefix = "enrich-" + engines.kind() + "-";
        Settings settings = ServiceUnderTest.settings(engines, prefix, Map.of(
                "CUSTOMERS_TOPIC", prefix + Topics.CUSTOMERS.name(),
                "ORDERS_TOPIC", prefix + Topics.ORDERS.name(),
                "ENRICHED_ORDERS_TOPIC", prefix + Topics.ENRICHED_ORDERS.name()));
        EnrichmentConfig config = EnrichmentConfig.from(settings);
        TopicAdmin.ensureTopics(engines.kafkaBootstrapServers(),
                List.of(config.customers().name(), config.orders().name(), config.enrichedOrders().name()), 2, (short) 1);
        TutorialData tutorial = TutorialData.load();
        try (TopicWriter writer = new TopicWriter(engines.kafkaBootstrapServers())) {
            writer.writeRaw(config.customers().name(), "8", new byte[] {42}, Instant.now());
            tutorial.customers().forEach(c -> writer.write(config.customers(), c.getId(), c, Instant.now()));
            writer.writeRaw(config.orders().name(), "50", "garbage".getBytes(StandardCharsets.UTF_8), Instant.now());
            writer.writeRaw(config.orders().name(), "51", UNKNOWN_SCHEMA_ID, Instant.now());
            tutorial.orders().forEach(o -> writer.write(config.orders(), o.getOrderId(), o, EventTime.parse(o.getTs())));
        }

        service.start(settings);

        assertThat(HttpProbe.awaitOk(service.url("/health/ready"), WAIT).status())
                .isEqualTo(200);
        try (TopicProbe enriched = new TopicProbe(engines.kafkaBootstrapServers(), config.enrichedOrders().name())) {
            assertThat(enriched.await(5, WAIT).stream()
                    .map(r -> new SimpleEntry<>(new String(r.key(), StandardCharsets.UTF_8),
                            config.enrichedOrders().deserializeValue(r.value())))
                    .toList())
                    .containsExactlyInAnyOrder(
                            new SimpleEntry<>("13", new EnrichedOrder("13", "2", "bill", 51, 50.50, "usd", "2020-04-03T11:20:00")),
                            new SimpleEntry<>("29", new EnrichedOrder("29", "7", "sue", 25, 15.00, "aud", "2020-04-02T12:36:00")),
                            new SimpleEntry<>("17", new EnrichedOrder("17", "5", "fred", 34, 25.25, "eur", "2020-04-02T17:22:00")),
                            new SimpleEntry<>("15", new EnrichedOrder("15", "5", "fred", 34, 13.75, "usd", "2020-04-03T02:55:00")),
                            new SimpleEntry<>("22", new EnrichedOrder("22", "7", "sue", 25, 29.71, "aud", "2020-04-04T00:12:00")));
        }
        try (TopicProbe orderDeadLetters = new TopicProbe(engines.kafkaBootstrapServers(), config.orders().deadLetters());
             TopicProbe customerDeadLetters = new TopicProbe(engines.kafkaBootstrapServers(), config.customers().deadLetters())) {
            Map<String, ConsumerRecord<byte[], byte[]>> badOrders = orderDeadLetters.await(2, WAIT).stream()
                    .collect(Collectors.toMap(r -> new String(r.key(), StandardCharsets.UTF_8), r -> r));
            assertThat(new String(badOrders.get("50").value(), StandardCharsets.UTF_8)).isEqualTo("garbage");
            assertThat(DeadLetterHeaders.header(badOrders.get("50").headers(), DeadLetterHeaders.STAGE)).isEqualTo("deserialize");
            assertThat(badOrders.get("51").value()).isEqualTo(UNKNOWN_SCHEMA_ID);
            assertThat(DeadLetterHeaders.header(badOrders.get("51").headers(), DeadLetterHeaders.ERROR_MESSAGE))
                    .contains("Schema id 999999 is unknown to the schema registry at " + engines.schemaRegistryUrl());
            ConsumerRecord<byte[], byte[]> badCustomer = customerDeadLetters.await(1, WAIT).get(0);
            assertThat(badCustomer.value()).isEqualTo(new byte[] {42});
            assertThat(DeadLetterHeaders.header(badCustomer.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(config.customers().name());
        }
        assertThat(HttpProbe.get(service.url("/metrics")).body())
                .contains("pipeline_dead_letters_total{service=\"enrichment-service\",source_topic=\"" + config.orders().name()
                        + "\",stage=\"deserialize\"} 2.0");
    }

    /**
     * A scenario's settings: its own topics, a fixed health port (asked while the service is still starting),
     * and a registry that is given up on after 1 s rather than 10.
     */
    private Settings settings(String scenario) {
        String prefix = "enrich-" + scenario + "-" + engines.kind() + "-";
        return ServiceUnderTest.settings(engines, prefix, Map.of(
                "CUSTOMERS_TOPIC", prefix + Topics.CUSTOMERS.name(),
                "ORDERS_TOPIC", prefix + Topics.ORDERS.name(),
                "ENRICHED_ORDERS_TOPIC", prefix + Topics.ENRICHED_ORDERS.name(),
                "HTTP_PORT", Integer.toString(FreePorts.next()),
                "SCHEMA_REGISTRY_TIMEOUT", "1s"));
    }

    /** The scenario's topics, created, with a registry client of their own (so the service's starts with nothing cached). */
    private EnrichmentConfig topicsOf(Settings settings) {
        EnrichmentConfig config = EnrichmentConfig.from(settings.with("SCHEMA_REGISTRY_TIMEOUT", "10s"));
        TopicAdmin.ensureTopics(engines.kafkaBootstrapServers(),
                List.of(config.customers().name(), config.orders().name(), config.enrichedOrders().name()), 1, (short) 1);
        return config;
    }

    private String readiness(String url) throws Exception {
        return HttpProbe.get(url).body();
    }

    @Test
    void startedWhileTheRegistryAnswersNothingItIsNotReadyAndSaysWhyThenEnrichesEverything() throws Exception {
        Settings settings = settings("registry-down-at-start");
        EnrichmentConfig config = topicsOf(settings);
        Order order = TutorialData.load().orders().get(0);
        Customer customer = TutorialData.load().customers().stream().filter(c -> c.getId().equals(order.getCustomerId()))
                .findFirst().orElseThrow();
        try (TopicWriter writer = new TopicWriter(engines.kafkaBootstrapServers())) {
            writer.write(config.customers(), customer.getId(), customer, Instant.now());
            writer.write(config.orders(), order.getOrderId(), order, EventTime.parse(order.getTs()));
        }
        String ready = "http://127.0.0.1:" + settings.integer("HTTP_PORT", 0, 1, 65535) + "/health/ready";

        engines.suspendSchemaRegistry();
        CompletableFuture<Void> started;
        try {
            started = CompletableFuture.runAsync(() -> service.start(settings));
            assertThat(await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> readiness(ready), body -> body.contains("waiting for the schema registry")))
                    .startsWith("not ready: waiting for the schema registry: Cannot reach the schema registry at "
                            + engines.schemaRegistryUrl());
        } finally {
            engines.resumeSchemaRegistry();
        }
        started.get(WAIT.toSeconds(), TimeUnit.SECONDS);

        assertThat(HttpProbe.awaitOk(ready, WAIT).status()).isEqualTo(200);
        try (TopicProbe enriched = new TopicProbe(engines.kafkaBootstrapServers(), config.enrichedOrders().name())) {
            assertThat(config.enrichedOrders().deserializeValue(enriched.await(1, WAIT).get(0).value())).isEqualTo(
                    new EnrichedOrder(order.getOrderId(), customer.getId(), customer.getName(), customer.getAge(),
                            order.getPrice(), order.getCurrency(), order.getTs()));
        }
    }

    /**
     * The stream thread that met the registry away is replaced; the member it was stays in the group until its session
     * times out (Kafka Streams' consumers do not leave on close), which the replacement's rebalance waits for: 10 s
     * here rather than the default 45 s.
     */
    @Test
    void anOrderOfASchemaIdNotSeenYetWaitsWhileTheRegistryAnswersNothingAndIsEnrichedNotDeadLettered() throws Exception {
        Settings settings = settings("registry-down-at-run-time").with("KAFKA_CLIENT_SESSION_TIMEOUT_MS", "10000");
        EnrichmentConfig config = topicsOf(settings);
        Schema v1 = SchemaHistory.of("Order").get(0);
        int v1Id = engines.schemaRegistry().register(config.orders().subject(), v1);
        Customer sue = new Customer("7", "sue", 25);
        try (TopicWriter writer = new TopicWriter(engines.kafkaBootstrapServers())) {
            writer.write(config.customers(), sue.getId(), sue, Instant.now());
        }
        service.start(settings);
        assertThat(HttpProbe.awaitOk(service.url("/health/ready"), WAIT).status()).isEqualTo(200);

        engines.suspendSchemaRegistry();
        try (TopicWriter writer = new TopicWriter(engines.kafkaBootstrapServers())) {
            GenericRecord order = new GenericData.Record(v1);
            order.put("order_id", "22");
            order.put("customer_id", "7");
            order.put("price", 29.71);
            order.put("currency", "aud");
            order.put("ts", "2020-04-04T00:12:00");
            writer.writeWithSchemaId(config.orders().name(), "22", v1Id, order, EventTime.parse("2020-04-04T00:12:00"));
            assertThat(await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> readiness(service.url("/health/ready")), body -> body.contains("waiting for the schema registry")))
                    .startsWith("not ready: waiting for the schema registry: ");
        } finally {
            engines.resumeSchemaRegistry();
        }

        assertThat(HttpProbe.awaitOk(service.url("/health/ready"), WAIT).status()).isEqualTo(200);
        try (TopicProbe enriched = new TopicProbe(engines.kafkaBootstrapServers(), config.enrichedOrders().name())) {
            assertThat(config.enrichedOrders().deserializeValue(enriched.await(1, WAIT).get(0).value()))
                    .isEqualTo(new EnrichedOrder("22", "7", "sue", 25, 29.71, "aud", "2020-04-04T00:12:00"));
        }
        assertThat(HttpProbe.get(service.url("/metrics")).body()).doesNotContain("pipeline_dead_letters_total{");
    }

    /** A dead-letter topic that takes no record of this size, as a broker might refuse it. */
    private void refuseEveryDeadLetterOn(String deadLetterTopic) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, engines.kafkaBootstrapServers()))) {
            admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, deadLetterTopic),
                    List.of(new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "64"),
                            AlterConfigOp.OpType.SET)))).all().get();
        }
    }

    private boolean stoppedAsFailed() throws Exception {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return service.awaitStop();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }).get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** On the global thread, which Kafka Streams cannot send dead letters from: before, such a customer was skipped. */
    @Test
    void aBadCustomerWhoseDeadLetterKafkaRefusesStopsTheServiceRatherThanVanish() throws Exception {
        Settings settings = settings("customer-dead-letter-refused");
        EnrichmentConfig config = topicsOf(settings);
        refuseEveryDeadLetterOn(config.customers().deadLetters());
        service.start(settings);
        assertThat(HttpProbe.awaitOk(service.url("/health/ready"), WAIT).status()).isEqualTo(200);

        try (TopicWriter writer = new TopicWriter(engines.kafkaBootstrapServers())) {
            writer.writeRaw(config.customers().name(), "8", new byte[] {42}, Instant.now());
        }

        assertThat(stoppedAsFailed()).as("stopped, failed").isTrue();
        assertThat(service.health().live()).isFalse();
    }

    @Test
    void aBadOrderWhoseDeadLetterKafkaRefusesStopsTheServiceRatherThanVanish() throws Exception {
        Settings settings = settings("order-dead-letter-refused");
        EnrichmentConfig config = topicsOf(settings);
        refuseEveryDeadLetterOn(config.orders().deadLetters());
        try (TopicWriter writer = new TopicWriter(engines.kafkaBootstrapServers())) {
            writer.writeRaw(config.orders().name(), "50", "garbage".getBytes(StandardCharsets.UTF_8), Instant.now());
        }

        service.start(settings);

        assertThat(stoppedAsFailed()).as("stopped, failed").isTrue();
        try (TopicProbe enriched = new TopicProbe(engines.kafkaBootstrapServers(), config.enrichedOrders().name())) {
            assertThat(enriched.drain(Duration.ofSeconds(1))).isEmpty();
        }
    }

    @Test
    void aSchemaTheRegistryRefusesAsIncompatibleStopsTheServiceAtStartNamingTheSubject() {
        Settings settings = settings("incompatible");
        EnrichmentConfig config = EnrichmentConfig.from(settings.with("SCHEMA_REGISTRY_TIMEOUT", "10s"));
        Schema numericIds = new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"EnrichedOrder\", "
                + "\"namespace\": \"io.streamingetl.avro\", \"fields\": [{\"name\": \"order_id\", \"type\": \"long\"}]}");
        engines.schemaRegistry().register(config.enrichedOrders().subject(), numericIds);

        assertThatThrownBy(() -> service.start(settings))
                .isInstanceOf(SchemaRegistry.IncompatibleSchemaException.class)
                .hasMessageStartingWith("The schema registry at " + engines.schemaRegistryUrl() + " refused "
                        + "io.streamingetl.avro.EnrichedOrder under subject " + config.enrichedOrders().subject()
                        + " as incompatible with the versions it holds");
    }
}
