package io.streamingetl.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.contract.EventTime;
import io.streamingetl.contract.Topics;
import io.streamingetl.localstack.Engines;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.localstack.TutorialData;
import io.streamingetl.runtime.DeadLetters;
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
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** enrichment-service on a real broker, exactly-once, with all its input in the topics before it starts. */
abstract class EnrichmentScenarios {
    private static final Duration WAIT = Duration.ofSeconds(90);

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
            ConsumerRecord<byte[], byte[]> badOrder = orderDeadLetters.await(1, WAIT).get(0);
            assertThat(new String(badOrder.value(), StandardCharsets.UTF_8)).isEqualTo("garbage");
            assertThat(DeadLetters.header(badOrder.headers(), DeadLetters.STAGE)).isEqualTo("deserialize");
            ConsumerRecord<byte[], byte[]> badCustomer = customerDeadLetters.await(1, WAIT).get(0);
            assertThat(badCustomer.value()).isEqualTo(new byte[] {42});
            assertThat(DeadLetters.header(badCustomer.headers(), DeadLetters.SOURCE_TOPIC)).isEqualTo(config.customers().name());
        }
        assertThat(HttpProbe.get(service.url("/metrics")).body())
                .contains("pipeline_dead_letters_total{service=\"enrichment-service\",source_topic=\"" + config.orders().name()
                        + "\",stage=\"deserialize\"} 1.0");
    }

}
