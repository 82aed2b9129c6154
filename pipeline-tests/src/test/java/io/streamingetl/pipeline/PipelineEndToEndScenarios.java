package io.streamingetl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.MongoDatabase;
import io.streamingetl.avro.Customer;
import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.PipelineService;
import io.streamingetl.contract.ShippedOrderDocument.Field;
import io.streamingetl.contract.Topic;
import io.streamingetl.contract.Topics;
import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.harness.ServiceProcess;
import io.streamingetl.localstack.Engines;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.localstack.TutorialData;
import io.streamingetl.testkit.TopicProbe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The tutorial end to end, as a user runs it: the engines, the five services from their jars as separate
 * processes, the tutorial's data, then its live step, then a service restarted. The scenarios that only read what
 * the tutorial made, or add keys of their own, share the run's tutorial pipeline on these engines
 * ({@link Pipelines.Shared}); the others start a pipeline of their own.
 */
abstract class PipelineEndToEndScenarios {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Engines engines;
    private final Pipelines.Shared shared;
    private LocalPipeline demo;
    private boolean own;

    PipelineEndToEndScenarios(Engines engines, Pipelines.Shared shared) {
        this.engines = engines;
        this.shared = shared;
    }

    /** A pipeline of this scenario's own, which it may restart or fill as it likes. */
    private LocalPipeline ownPipeline(String scenario) throws InterruptedException {
        own = true;
        return Pipelines.own(engines, Pipelines.options(scenario));
    }

    @AfterEach
    void stop() {
        if (demo != null && own) {
            demo.close();
        }
    }

    private Map<String, Map<String, Object>> documentsWhen(Predicate<Map<String, Map<String, Object>>> condition)
            throws Exception {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(demo::documents, condition);
    }

    @Test
    void theTutorialGivesItsFiveDocumentsTheLiveStepTheSixthAndARestartChangesNothing() throws Exception {
        demo = ownPipeline("demo");
        TutorialData tutorial = TutorialData.load();
        Map<String, Map<String, Object>> expected = new LinkedHashMap<>(tutorial.expectedDocuments());

        demo.seedTutorial();
        assertThat(documentsWhen(d -> d.size() >= expected.size())).isEqualTo(expected);

        demo.liveStep();
        expected.putAll(tutorial.liveStep().expectedDocument());
        assertThat(documentsWhen(d -> d.size() >= expected.size())).isEqualTo(expected);

        demo.restart("shipment-join-service");
        demo.restart("es-sink-service");
        assertThat(await().atMost(WAIT).pollInterval(Duration.ofMillis(250)).until(() -> TopicProbe.committedToEnd(
                engines.kafkaBootstrapServers(), demo.names().group(PipelineService.ES_SINK), demo.topic(Topics.SHIPPED_ORDERS)), done -> done))
                .as("the restarted sink committed every record of %s", demo.topic(Topics.SHIPPED_ORDERS)).isTrue();
        assertThat(demo.documents()).isEqualTo(expected);
    }

    /** On the shared tutorial pipeline: what each topic holds under the tutorial's keys, others' keys left aside. */
    @Test
    void everyPipelineTopicReadsAsAConfluentConsumerReadsItThroughTheRegistry() throws Exception {
        demo = shared.sharedTutorial(engines);
        TutorialData tutorial = TutorialData.load();
        documentsWhen(d -> d.size() >= tutorial.expectedDocuments().size());
        Map<String, Customer> customers = tutorial.customers().stream().collect(Collectors.toMap(Customer::getId, c -> c));
        Map<Topic<String, ?>, List<?>> expected = new LinkedHashMap<>();
        expected.put(Topics.CUSTOMERS, tutorial.customers());
        expected.put(Topics.ORDERS, tutorial.orders());
        expected.put(Topics.SHIPMENTS, tutorial.shipments());
        expected.put(Topics.ENRICHED_ORDERS, tutorial.orders().stream().map(o -> new EnrichedOrder(o.getOrderId(),
                o.getCustomerId(), customers.get(o.getCustomerId()).getName(), customers.get(o.getCustomerId()).getAge(),
                o.getPrice(), o.getCurrency(), o.getTs())).toList());
        expected.put(Topics.SHIPPED_ORDERS, tutorial.expectedDocuments().values().stream().map(d -> new ShippedOrder(
                (String) d.get(Field.O_ORDER_ID.name()), (String) d.get(Field.SHIPMENT_ID.name()),
                (String) d.get(Field.CUSTOMER_ID.name()), (String) d.get(Field.CUSTOMER_NAME.name()),
                (Integer) d.get(Field.CUSTOMER_AGE.name()), (String) d.get(Field.ORIGIN.name()),
                (Double) d.get(Field.PRICE.name()), (String) d.get(Field.CURRENCY.name()))).toList());

        Map<Topic<String, ?>, Set<String>> tutorialKeys = Map.of(
                Topics.CUSTOMERS, tutorial.customers().stream().map(Customer::getId).collect(Collectors.toSet()),
                Topics.ORDERS, tutorial.orders().stream().map(o -> o.getOrderId()).collect(Collectors.toSet()),
                Topics.SHIPMENTS, tutorial.shipments().stream().map(s -> s.getShipmentId()).collect(Collectors.toSet()),
                Topics.ENRICHED_ORDERS, tutorial.orders().stream().map(o -> o.getOrderId()).collect(Collectors.toSet()),
                Topics.SHIPPED_ORDERS, tutorial.expectedDocuments().keySet());

        assertThat(HttpProbe.get(engines.schemaRegistryUrl() + "/subjects").body())
                .contains(Topics.ALL.stream().map(t -> "\"" + t.named(demo.topic(t)).subject() + "\"").toList());
        for (Map.Entry<Topic<String, ?>, List<?>> topic : expected.entrySet()) {
            List<String> read = new ArrayList<>();
            for (ConsumerRecord<byte[], byte[]> record : TopicProbe.readToEnd(engines.kafkaBootstrapServers(),
                    demo.topic(topic.getKey()), WAIT)) {
                if (tutorialKeys.get(topic.getKey()).contains(new String(record.key(), StandardCharsets.UTF_8))) {
                    read.add(ConfluentConsumerView.read(engines.schemaRegistryUrl(), record.value()));
                }
            }
            assertThat(read).as(demo.topic(topic.getKey()))
                    .containsExactlyInAnyOrderElementsOf(topic.getValue().stream().map(Object::toString).toList());
        }
    }

    @Test
    void anOrderBehindTheJoinsWindowIsNotJoinedAndTheProgressLineCountsItAsLate() throws Exception {
        demo = ownPipeline("demo");
        MongoDatabase logistics = demo.logistics();
        logistics.getCollection("orders").insertOne(Document.parse(
                "{\"customer_id\": \"1\", \"order_id\": \"33\", \"price\": 10.0, \"currency\": \"usd\", \"ts\": \"2020-06-01T00:00:00\"}"));
        logistics.getCollection("shipments").insertOne(Document.parse(
                "{\"order_id\": \"33\", \"shipment_id\": \"330\", \"origin\": \"ohio\", \"ts\": \"2020-06-01T01:00:00\"}"));
        Map<String, Map<String, Object>> joined = documentsWhen(d -> d.containsKey("33"));
        assertThat(joined.get("33")).containsEntry(Field.PRICE.name(), 10.0);

        // Same key, so same join task, whose stream time is now June: April is more than window + grace behind.
        logistics.getCollection("orders").insertOne(Document.parse(
                "{\"customer_id\": \"1\", \"order_id\": \"33\", \"price\": 99.0, \"currency\": \"usd\", \"ts\": \"2020-04-01T00:00:00\"}"));
        String progress = await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).until(demo::progress, p -> p.contains("late, not joined: {order=1, shipment=0}"));
        assertThat(progress).contains(" | late, not joined: {order=1, shipment=0} | ");
        assertThat(demo.documents()).isEqualTo(joined);
    }

    /** On the shared tutorial pipeline: its one malformed order, 77, is its own key. */
    @Test
    void everyMetricTheAlertRulesAndTheDashboardUseIsServedOnceDataFlowedAndARecordWasDeadLettered() throws Exception {
        demo = shared.sharedTutorial(engines);
        documentsWhen(d -> d.size() >= TutorialData.load().expectedDocuments().size());
        demo.logistics().getCollection("orders").insertOne(Document.parse(
                "{\"customer_id\": \"5\", \"order_id\": \"77\", \"price\": \"lots\", \"currency\": \"usd\", \"ts\": \"2020-04-03T11:20:00\"}"));
        Set<String> used = new TreeSet<>();
        for (String file : List.of("monitoring/alerts.yml", "monitoring/dashboard.json")) {
            Matcher names = Pattern.compile("\\b(?:pipeline|kafka|jvm)_[a-z_]+").matcher(
                    Files.readString(LocalPipeline.repositoryRoot().resolve(file)));
            while (names.find()) {
                used.add(names.group());
            }
        }

        Set<String> missing = await().atMost(WAIT).pollInterval(Duration.ofSeconds(1)).until(() -> {
            Set<String> notServed = new TreeSet<>(used);
            for (ServiceProcess service : demo.services()) {
                HttpProbe.get(service.metricsUrl()).body().lines().filter(line -> !line.startsWith("#"))
                        .map(line -> line.split("[{ ]", 2)[0]).forEach(notServed::remove);
            }
            return notServed;
        }, Set::isEmpty);

        assertThat(used).contains("pipeline_index_freshness_seconds_bucket", "pipeline_ready", "pipeline_dead_letters_total");
        assertThat(missing).as("metrics the alert rules or the dashboard use that no service serves").isEmpty();
    }

}
