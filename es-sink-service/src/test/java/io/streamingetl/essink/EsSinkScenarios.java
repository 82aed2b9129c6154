package io.streamingetl.essink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.ChangeHeaders;
import io.streamingetl.contract.ConfluentRegistryClient;
import io.streamingetl.contract.DeadLetterHeaders;
import io.streamingetl.contract.SchemaHistory;
import io.streamingetl.contract.ShippedOrderDocument.Field;
import io.streamingetl.contract.ShippedOrderDocument;
import io.streamingetl.contract.Topics;
import io.streamingetl.localstack.Engines;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.localstack.SchemaRegistryEngine;
import io.streamingetl.localstack.TutorialData;
import io.streamingetl.runtime.PrometheusText;
import io.streamingetl.runtime.Settings;
import io.streamingetl.search.BulkWriter;
import io.streamingetl.search.SearchClient;
import io.streamingetl.search.SearchEngineConfig;
import io.streamingetl.search.VersionedIndex;
import io.streamingetl.testkit.AuthenticatingGateway;
import io.streamingetl.testkit.ServiceUnderTest;
import io.streamingetl.testkit.TopicProbe;
import io.streamingetl.testkit.TopicWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * es-sink-service against a real Kafka broker and a real search engine node (Elasticsearch and OpenSearch, twins
 * of this class), asserting on the documents
 * read back from Elasticsearch. Each scenario has its own topic, index and consumer groups (a group's name in a
 * scenario, {@code "sink"}, is {@link #group} on the broker), and a registry of its own where it stops one: the twins
 * run side by side on the same broker and registry, each stopping only its own search engine node.
 */
abstract class EsSinkScenarios {
    private static final AtomicInteger RUN = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Engines engines;
    private final String topic;
    private final String index;
    private final KafkaProducer<byte[], byte[]> producer;
    private final SearchClient client;
    private final ServiceUnderTest sink = new ServiceUnderTest(EsSinkApp.SERVICE);

    EsSinkScenarios(Engines engines) throws Exception {
        this.engines = engines;
        int run = RUN.incrementAndGet();
        this.topic = "sink-" + run + "." + Topics.SHIPPED_ORDERS.name();
        this.index = "shipped_orders_" + run;
        this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, engines.kafkaBootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.client = SearchClient.connect(SearchEngineConfig.of(engines.searchUrl()));
    }

    /** The consumer group a scenario calls {@code name}, on the broker: of this scenario only. */
    private String group(String name) {
        return topic + "." + name;
    }

    private Settings settings(String groupId, Map<String, String> more) {
        Map<String, String> settings = new HashMap<>(Map.of(
                "SHIPPED_ORDERS_TOPIC", topic,
                "GROUP_ID", group(groupId),
                "ES_URL", engines.searchUrl(),
                "ES_INDEX", index,
                "RETRY_MAX_BACKOFF", "2s"));
        settings.putAll(more);
        return ServiceUnderTest.settings(engines, group(groupId) + "-", settings);
    }

    private void startSink(String groupId) {
        startSink(settings(groupId, Map.of()));
    }

    private void startSink(Settings settings) {
        sink.start(settings);
    }

    @AfterEach
    void stop() {
        sink.close();
        producer.close();
        client.close();
    }

    private void send(String key, ShippedOrder order) throws Exception {
        send(key, Topics.SHIPPED_ORDERS.serializeValue(order));
    }

    private void send(String key, byte[] value) throws Exception {
        producer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get();
    }

    /** A shipped order as the join writes it: at {@code version}. */
    private void send(String key, ShippedOrder order, long version) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        ChangeHeaders.setVersion(headers, version);
        producer.send(new ProducerRecord<>(topic, null, key.getBytes(StandardCharsets.UTF_8),
                Topics.SHIPPED_ORDERS.serializeValue(order), headers)).get();
    }

    private void sendTutorial() throws Exception {
        for (Map.Entry<String, Map<String, Object>> expected : TutorialData.load().expectedDocuments().entrySet()) {
            Map<String, Object> d = expected.getValue();
            send(expected.getKey(), new ShippedOrder((String) d.get(Field.O_ORDER_ID.name()),
                    (String) d.get(Field.SHIPMENT_ID.name()), (String) d.get(Field.CUSTOMER_ID.name()),
                    (String) d.get(Field.CUSTOMER_NAME.name()), (Integer) d.get(Field.CUSTOMER_AGE.name()),
                    (String) d.get(Field.ORIGIN.name()), ((Number) d.get(Field.PRICE.name())).doubleValue(),
                    (String) d.get(Field.CURRENCY.name())));
        }
    }

    /** Every document of the index, by id, once they satisfy {@code condition} (or the wait is over). */
    private Map<String, Map<String, Object>> documentsWhen(Predicate<Map<String, Map<String, Object>>> condition)
            throws Exception {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(this::documents, condition);
    }

    private Map<String, Map<String, Object>> documents() throws Exception {
        if (client.get("/" + index).status() == 404) {
            return Map.of();
        }
        client.send("POST", "/" + index + "/_refresh", null);
        Map<String, Map<String, Object>> documents = new LinkedHashMap<>();
        for (JsonNode hit : client.get("/" + index + "/_search?size=1000").json().path("hits").path("hits")) {
            documents.put(hit.get("_id").asText(), SearchClient.asMap(hit.get("_source")));
        }
        return documents;
    }

    private static Schema withExtraField(Schema schema, String name) {
        List<Schema.Field> fields = new ArrayList<>();
        schema.getFields().forEach(f -> fields.add(new Schema.Field(f, f.schema())));
        fields.add(new Schema.Field(name, Schema.create(Schema.Type.STRING), null, ""));
        return Schema.createRecord(schema.getName(), schema.getDoc(), schema.getNamespace(), false, fields);
    }

    /** Sends a JSON request to the engine as an operator's curl would, and requires it to succeed. */
    private void engine(String method, String path, String json) throws Exception {
        SearchClient.Answer answer = client.send(method, path, json);
        assertThat(answer.ok()).as(method + " " + path + ": " + answer.body()).isTrue();
    }

    /** The index as a broken mapping would make it: an age field of type byte, which 969 does not fit. */
    private void createIndexWithAByteAge() throws Exception {
        engine("PUT", "/" + index, "{\"mappings\": {\"properties\": {\"" + Field.CUSTOMER_AGE.name() + "\": {\"type\": \"byte\"}}}}");
    }

    /** On a registry of its own, which it stops (SIGSTOP) while the twin's scenarios go on with the shared one. */
    @Test
    void aRecordOfASchemaIdNotSeenYetWaitsWhileTheRegistryAnswersNothingAndIsIndexedNotDeadLettered() throws Exception {
        try (SchemaRegistryEngine registry = SchemaRegistryEngine.start(0, null)) {
            // v1 with a field of its own: a schema id no registry client of this process has seen.
            String ownField = "unseen_" + System.nanoTime();
            Schema v1 = withExtraField(SchemaHistory.of("ShippedOrder").get(0), ownField);
            int v1Id = new ConfluentRegistryClient(URI.create(registry.url())).register(topic + "-value", v1);
            startSink(settings("es-sink-registry", Map.of("HTTP_PORT", "0", "SCHEMA_REGISTRY_TIMEOUT", "1s",
                    "SCHEMA_REGISTRY_URL", registry.url())));
            assertThat(HttpProbe.awaitOk(sink.url("/health/ready"), WAIT).status()).isEqualTo(200);
            GenericRecord shipped = new GenericData.Record(v1);
            Map.of("order_id", "22", "shipment_id", "71", "customer_id", "7", "customer_name", "sue", "customer_age", 25,
                    "origin", "iowa", "price", 29.71, "currency", "aud").forEach(shipped::put);
            shipped.put(ownField, "");

            registry.suspend();
            try (TopicWriter writer = new TopicWriter(engines.kafkaBootstrapServers())) {
                writer.writeWithSchemaId(topic, "22", v1Id, shipped, null);
                assertThat(await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> HttpProbe.get(sink.url("/health/ready")).body(), body -> body.contains("waiting for the schema registry")))
                        .startsWith("not ready: waiting for the schema registry: Cannot reach the schema registry at ");
            } finally {
                registry.resume();
            }

            assertThat(documentsWhen(d -> d.containsKey("22")).get("22"))
                    .containsEntry(Field.CUSTOMER_NAME.name(), "sue").containsEntry(Field.PRICE.name(), 29.71);
            assertThat(HttpProbe.get(sink.url("/metrics")).body()).doesNotContain("pipeline_dead_letters_total{");
        }
    }

    /**
     * A registry restarted without its storage answers 404 for the ids it issued: no record's fault, so the
     * sink waits and says why, dead-letters nothing, and indexes the record once the schemas are back.
     */
    @Test
    void aRegistryThatForgotTheSchemasItIssuedMakesTheSinkWaitNotDeadLetter() throws Exception {
        try (SchemaRegistryEngine registry = SchemaRegistryEngine.start(0, null)) {
            Schema v1 = SchemaHistory.of("ShippedOrder").get(0);
            ConfluentRegistryClient registryClient = new ConfluentRegistryClient(URI.create(registry.url()));
            int v1Id = registryClient.register(topic + "-value", v1);
            startSink(settings("es-sink-forgetful-registry", Map.of("SCHEMA_REGISTRY_URL", registry.url())));
            assertThat(HttpProbe.awaitOk(sink.url("/health/ready"), WAIT).status()).isEqualTo(200);

            registry.restartForgettingSchemas();
            try (TopicWriter writer = new TopicWriter(engines.kafkaBootstrapServers())) {
                writer.writeWithSchemaId(topic, "22", v1Id, tutorialOrder22(v1), null);
            }
            assertThat(awaitNotReadyBecauseOf("knows neither schema id " + v1Id))
                    .startsWith("waiting for the schema registry: The schema registry at " + registry.url()
                            + " knows neither schema id " + v1Id + " nor id ");

            // Its schemas restored, in the order they were first registered, under the same ids.
            assertThat(new ConfluentRegistryClient(URI.create(registry.url())).register(topic + "-value", v1)).isEqualTo(v1Id);
            new ConfluentRegistryClient(URI.create(registry.url())).register(topic + "-value", Topics.SHIPPED_ORDERS.valueSchema());
            assertThat(documentsWhen(d -> d.containsKey("22")).get("22")).containsEntry(Field.CUSTOMER_NAME.name(), "sue");
            assertThat(HttpProbe.get(sink.url("/metrics")).body()).doesNotContain("pipeline_dead_letters_total{");
        }
    }

    private static GenericRecord tutorialOrder22(Schema v1) {
        GenericRecord shipped = new GenericData.Record(v1);
        Map.of("order_id", "22", "shipment_id", "71", "customer_id", "7", "customer_name", "sue", "customer_age", 25,
                "origin", "iowa", "price", 29.71, "currency", "aud").forEach(shipped::put);
        return shipped;
    }

    @Test
    void theFiveTutorialRecordsGiveExactlyTheFiveExpectedDocuments() throws Exception {
        startSink("sink");
        sendTutorial();

        assertThat(documentsWhen(docs -> docs.size() >= 5)).isEqualTo(TutorialData.load().expectedDocuments());
    }

    @Test
    void replayingTheTopicLeavesExactlyFiveDocuments() throws Exception {
        sendTutorial();
        startSink("first-reader");
        documentsWhen(docs -> docs.size() >= 5);
        sink.stop();

        startSink("replaying-reader");
        assertThat(await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> TopicProbe.committedToEnd(
                engines.kafkaBootstrapServers(), group("replaying-reader"), topic), done -> done))
                .as("the replaying reader committed the whole topic").isTrue();

        assertThat(documentsWhen(docs -> docs.size() >= 5)).isEqualTo(TutorialData.load().expectedDocuments());
    }

    @Test
    void aTransactionalWritersRecordsAreCommittedPastItsCommitMarkerLeavingNoLag() throws Exception {
        try (KafkaProducer<byte[], byte[]> transactional = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, engines.kafkaBootstrapServers(),
                ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic + "-writer"), new ByteArraySerializer(), new ByteArraySerializer())) {
            transactional.initTransactions();
            transactional.beginTransaction();
            ShippedOrder order = new ShippedOrder("o-1", "s-1", "c-1", "Ann", 30, "Lisbon", 9.5, "EUR");
            transactional.send(new ProducerRecord<>(topic, "o-1".getBytes(StandardCharsets.UTF_8),
                    Topics.SHIPPED_ORDERS.serializeValue(order)));
            transactional.commitTransaction();
        }
        startSink("sink");

        assertThat(documentsWhen(docs -> docs.size() >= 1)).containsOnlyKeys("o-1");
        assertThat(await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> TopicProbe.committedToEnd(engines.kafkaBootstrapServers(), group("sink"), topic), done -> done)).as("committed up to the end, the commit marker included").isTrue();
    }

    @Test
    void aLaterRecordForAnOrderReplacesItsDocument() throws Exception {
        startSink("sink");
        send("22", new ShippedOrder("22", "71", "7", "sue", 25, "iowa", 29.71, "aud"));
        ShippedOrder later = new ShippedOrder("22", "73", "7", "sue", 26, "ohio", 29.71, "aud");
        send("22", later);

        assertThat(documentsWhen(docs -> "ohio".equals(docs.getOrDefault("22", Map.of()).get(Field.ORIGIN.name()))))
                .isEqualTo(Map.of("22", ShippedOrderDocument.of(later)));
    }

    /** An operator pauses the sink while the engine is upgraded: nothing is written, nothing dead-lettered, until resume. */
    @Test
    void pausedByAnOperatorTheSinkHoldsNewDocumentsBackUntilResumed() throws Exception {
        startSink("sink");
        ShippedOrder first = new ShippedOrder("22", "71", "7", "sue", 25, "iowa", 29.71, "aud");
        send("22", first, 100);
        documentsWhen(docs -> docs.containsKey("22"));

        sink.running().pause(null);
        ShippedOrder moved = new ShippedOrder("22", "73", "7", "sue", 25, "ohio", 29.71, "aud");
        send("22", moved, 200);

        assertThat(HttpProbe.get(sink.url("/health/ready")).body()).contains("paused by an operator");
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(200))
                .until(this::documents, docs -> docs.equals(Map.of("22", ShippedOrderDocument.of(first))));
        sink.running().resume();
        assertThat(documentsWhen(docs -> "ohio".equals(docs.get("22").get(Field.ORIGIN.name()))))
                .isEqualTo(Map.of("22", ShippedOrderDocument.of(moved)));
        assertThat(HttpProbe.get(sink.url("/health/ready")).status()).isEqualTo(200);
    }

    /** A replayed dead letter, say: a later offset, but the older version of the order. */
    @Test
    void anOlderVersionArrivingAfterANewerOneIsRefusedAsStale() throws Exception {
        startSink("sink");
        ShippedOrder newer = new ShippedOrder("22", "73", "7", "sue", 25, "ohio", 29.71, "aud");
        send("22", newer, 200);
        documentsWhen(docs -> docs.containsKey("22"));
        send("22", new ShippedOrder("22", "71", "7", "sue", 25, "iowa", 29.71, "aud"), 100);

        assertThat(await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> staleWrites(sink), n -> n >= 1)).isEqualTo(1.0);
        assertThat(documents()).isEqualTo(Map.of("22", ShippedOrderDocument.of(newer)));
    }

    @Test
    void theSameVersionWrittenAgainIsTakenNotCountedAsStale() throws Exception {
        startSink("sink");
        ShippedOrder order = new ShippedOrder("22", "71", "7", "sue", 25, "iowa", 29.71, "aud");
        send("22", order, 200);
        documentsWhen(docs -> docs.containsKey("22"));
        send("22", order, 200);
        send("29", new ShippedOrder("29", "89", "7", "sue", 25, "california", 15.0, "aud"), 300);

        documentsWhen(docs -> docs.size() == 2);
        assertThat(await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> indexed(sink), n -> n >= 3)).isEqualTo(3.0);
        assertThat(staleWrites(sink)).isZero();
    }

    @Test
    void aTombstoneDeletesTheDocument() throws Exception {
        startSink("sink");
        send("22", new ShippedOrder("22", "71", "7", "sue", 25, "iowa", 29.71, "aud"));
        send("29", new ShippedOrder("29", "89", "7", "sue", 25, "california", 15.0, "aud"));
        documentsWhen(docs -> docs.size() == 2);
        send("22", (byte[]) null);

        assertThat(documentsWhen(docs -> docs.size() == 1)).containsOnlyKeys("29");
    }

    @Test
    void elasticsearchAwayForAWhileLosesNothing() throws Exception {
        startSink("sink");
        send("22", new ShippedOrder("22", "71", "7", "sue", 25, "iowa", 29.71, "aud"));
        documentsWhen(docs -> docs.size() == 1);

        engines.suspendSearchEngine();
        try {
            sendTutorial();
            assertThat(awaitNotReadyBecauseOf("unavailable while writing"))
                    .startsWith(engines.searchEngineName() + " unavailable while writing");
            Thread.sleep(3000); // the outage itself: the engine stays away a while after the sink noticed
        } finally {
            engines.resumeSearchEngine();
        }

        assertThat(documentsWhen(docs -> docs.size() >= 5)).isEqualTo(TutorialData.load().expectedDocuments());
        awaitReady();
    }

    /**
     * While Elasticsearch is away the sink backs off with its partitions paused; the group's other instance
     * leaving moves its partitions to it. Under the cooperative and KIP-848 protocols they arrive without the
     * others being revoked: fetched unpaused, what they returned would be dropped.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"eager", "cooperative", "consumer (KIP-848)"})
    void partitionsMovingBetweenInstancesDuringABackOffLoseNothingUnderEveryRebalanceProtocol(String protocol)
            throws Exception {
        Map<String, String> group = new HashMap<>(Map.of("TOPIC_PARTITIONS", "6"));
        switch (protocol) {
            case "eager" -> group.put("KAFKA_CLIENT_PARTITION_ASSIGNMENT_STRATEGY", RangeAssignor.class.getName());
            case "cooperative" -> group.put("KAFKA_CLIENT_PARTITION_ASSIGNMENT_STRATEGY", CooperativeStickyAssignor.class.getName());
            default -> group.put("KAFKA_CLIENT_GROUP_PROTOCOL", "consumer");
        }
        String groupId = "sink-" + protocol.split(" ")[0];
        startSink(settings(groupId, group));
        send("22", new ShippedOrder("22", "71", "7", "sue", 25, "iowa", 29.71, "aud"));
        documentsWhen(docs -> docs.size() == 1);

        Map<String, Map<String, Object>> expected = new LinkedHashMap<>(documents());
        try (ServiceUnderTest second = new ServiceUnderTest(EsSinkApp.SERVICE)) {
            second.start(settings(groupId, group));
            awaitMembersOwning(groupId, List.of(3, 3));
            engines.suspendSearchEngine();
            try {
                for (int i = 0; i < 60; i++) {
                    ShippedOrder order = new ShippedOrder("o" + i, "s" + i, "7", "sue", 25, "iowa", 1.0 + i, "aud");
                    send("o" + i, order);
                    expected.put("o" + i, ShippedOrderDocument.of(order));
                }
                awaitNotReadyBecauseOf("unavailable while writing");
                second.stop();
                awaitMembersOwning(groupId, List.of(6));
            } finally {
                engines.resumeSearchEngine();
            }
        }

        assertThat(documentsWhen(docs -> docs.equals(expected))).isEqualTo(expected);
        awaitReady();
    }

    /**
     * A second instance joining mid-stream takes half the partitions; the batch the first had under way is
     * committed before they go, so no document is written twice (each write counts as indexed).
     */
    @Test
    void aSecondInstanceTakingPartitionsMidStreamWritesNoDocumentTwice() throws Exception {
        Map<String, String> group = Map.of("TOPIC_PARTITIONS", "6");
        startSink(settings("sink-joined", group));
        Map<String, Map<String, Object>> expected = new LinkedHashMap<>();
        try (ServiceUnderTest second = new ServiceUnderTest(EsSinkApp.SERVICE)) {
            for (int i = 0; i < 900; i++) { // documents() reads up to 1,000
                if (i == 300) {
                    second.start(settings("sink-joined", group));
                }
                ShippedOrder order = new ShippedOrder("o" + i, "s" + i, "7", "sue", 25, "iowa", 1.0 + i, "aud");
                send("o" + i, order);
                expected.put("o" + i, ShippedOrderDocument.of(order));
            }
            awaitMembersOwning("sink-joined", List.of(3, 3));

            assertThat(documentsWhen(docs -> docs.size() == expected.size())).isEqualTo(expected);
            assertThat(await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> indexed(sink) + indexed(second), n -> n >= expected.size())).as("documents written, none twice").isEqualTo(expected.size());
        }
    }

    /**
     * Several bulk requests under way at once (small batches, so many are): every document of a load that changes each
     * order ten times ends at its newest version, no write is found stale (a batch writing a document of one under way
     * waits for it), and the group's offsets reach the end of the topic.
     */
    @Test
    void withFourBulkRequestsUnderWayEveryDocumentEndsAtItsNewestVersionAndNoWriteIsStale() throws Exception {
        startSink(settings("sink-concurrent", Map.of("TOPIC_PARTITIONS", "3", "BULK_CONCURRENT_REQUESTS", "4",
                "BULK_MAX_ACTIONS", "20")));
        Map<String, Map<String, Object>> expected = new LinkedHashMap<>();
        for (int change = 1; change <= 10; change++) {
            for (int o = 0; o < 200; o++) {
                ShippedOrder order = new ShippedOrder("o" + o, "s" + o + "-" + change, "7", "sue", 20 + change, "iowa", (double) o, "aud");
                RecordHeaders headers = new RecordHeaders();
                ChangeHeaders.setVersion(headers, 100L * change + o);
                producer.send(new ProducerRecord<>(topic, null, ("o" + o).getBytes(StandardCharsets.UTF_8),
                        Topics.SHIPPED_ORDERS.serializeValue(order), headers));
                expected.put("o" + o, ShippedOrderDocument.of(order));
            }
        }
        producer.flush();

        assertThat(documentsWhen(docs -> docs.equals(expected))).isEqualTo(expected);
        assertThat(staleWrites(sink)).isZero();
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, engines.kafkaBootstrapServers()))) {
            long committed = await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> admin
                    .listConsumerGroupOffsets(group("sink-concurrent")).partitionsToOffsetAndMetadata().get().values().stream()
                    .mapToLong(offset -> offset.offset()).sum(), sum -> sum == 2000);
            assertThat(committed).isEqualTo(2000);
        }
    }

    private static double staleWrites(ServiceUnderTest sink) {
        return PrometheusText.sum(HttpProbe.get(sink.url("/metrics")).body(), "pipeline_es_stale_writes_total");
    }

    private static double indexed(ServiceUnderTest sink) {
        return PrometheusText.sum(HttpProbe.get(sink.url("/metrics")).body(), "pipeline_es_documents_indexed_total");
    }

    /** Waits until the group's members own these numbers of partitions (in any order). */
    private void awaitMembersOwning(String name, List<Integer> partitionsPerMember) throws Exception {
        String groupId = group(name);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, engines.kafkaBootstrapServers()))) {
            List<Integer> owned = await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> admin.describeConsumerGroups(List.of(groupId)).all().get().get(groupId)
                    .members().stream().map(m -> m.assignment().topicPartitions().size()).sorted().toList(), partitionsPerMember::equals);
            assertThat(owned).as("partitions per member of " + groupId).isEqualTo(partitionsPerMember);
        }
    }

    @Test
    void aDocumentTheMappingRejectsGoesToTheDeadLetterTopicWhileTheOthersAreIndexed() throws Exception {
        createIndexWithAByteAge();
        startSink("sink");
        ShippedOrder tooOld = new ShippedOrder("23", "72", "8", "methuselah", 969, "ur", 1.0, "usd");
        byte[] tooOldBytes = Topics.SHIPPED_ORDERS.serializeValue(tooOld);
        send("22", new ShippedOrder("22", "71", "7", "sue", 25, "iowa", 29.71, "aud"));
        send("23", tooOldBytes);
        send("29", new ShippedOrder("29", "89", "7", "sue", 25, "california", 15.0, "aud"));

        try (TopicProbe deadLetters = new TopicProbe(engines.kafkaBootstrapServers(), Topics.deadLetterOf(topic))) {
            ConsumerRecord<byte[], byte[]> deadLetter = deadLetters.await(1, WAIT).get(0);
            assertThat(deadLetter.value()).isEqualTo(tooOldBytes);
            assertThat(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.STAGE)).isEqualTo("index");
            assertThat(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.ERROR_MESSAGE))
                    .startsWith(engines.searchEngineName() + " rejected the document (400): mapper_parsing_exception: failed to "
                            + "parse field [CUSTOMER_AGE]");
            assertThat(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("1");
        }
        assertThat(documentsWhen(docs -> docs.size() >= 2)).containsOnlyKeys("22", "29");
    }

    @Test
    void undecodableBytesGoToTheDeadLetterTopicAndTheNextRecordIsIndexed() throws Exception {
        startSink("sink");
        send("22", "not avro".getBytes(StandardCharsets.UTF_8));
        send("29", new ShippedOrder("29", "89", "7", "sue", 25, "california", 15.0, "aud"));

        try (TopicProbe deadLetters = new TopicProbe(engines.kafkaBootstrapServers(), Topics.deadLetterOf(topic))) {
            ConsumerRecord<byte[], byte[]> deadLetter = deadLetters.await(1, WAIT).get(0);
            assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8)).isEqualTo("not avro");
            assertThat(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.STAGE)).isEqualTo("deserialize");
            assertThat(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(topic);
        }
        assertThat(documentsWhen(docs -> docs.size() >= 1)).containsOnlyKeys("29");
    }

    /** The reason the sink gives for not being ready, once it names {@code cause}. */
    private String awaitNotReadyBecauseOf(String cause) throws Exception {
        return await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> sink.health().notReadyReason(), reason -> reason != null && reason.contains(cause));
    }

    private void awaitReady() throws Exception {
        assertThat(await().atMost(WAIT).pollInterval(Duration.ofMillis(100)).until(() -> sink.health().isReady(), ready -> ready)).isTrue();
    }

    @FunctionalInterface
    private interface Action {
        void run() throws Exception;
    }

    private void writeBlock(boolean blocked) throws Exception {
        engine("PUT", "/" + index + "/_settings", "{\"index.blocks.write\": " + blocked + "}");
    }

    /**
     * While {@code cause} stands, every document is held back (not ready, naming the cause; nothing
     * dead-lettered); once it is lifted, every one arrives.
     */
    private void documentsAreHeldBackWhile(Action cause, String expectedReason, Action lift) throws Exception {
        documentsAreHeldBackWhile(settings("sink", Map.of()), cause, expectedReason, lift);
    }

    private void documentsAreHeldBackWhile(Settings sinkSettings, Action cause, String expectedReason, Action lift)
            throws Exception {
        startSink(sinkSettings);
        send("22", new ShippedOrder("22", "71", "7", "sue", 25, "iowa", 29.71, "aud"));
        documentsWhen(docs -> docs.size() == 1);
        cause.run();

        sendTutorial();
        assertThat(awaitNotReadyBecauseOf(expectedReason)).startsWith(engines.searchEngineName() + " ");
        try (TopicProbe deadLetters = new TopicProbe(engines.kafkaBootstrapServers(), Topics.deadLetterOf(topic))) {
            assertThat(deadLetters.drain(Duration.ofSeconds(1))).isEmpty();
        }
        lift.run();

        assertThat(documentsWhen(docs -> docs.equals(TutorialData.load().expectedDocuments())))
                .isEqualTo(TutorialData.load().expectedDocuments());
        awaitReady();
    }

    @Test
    void aWriteBlockedIndexHoldsEveryDocumentBackUntilTheBlockIsLifted() throws Exception {
        documentsAreHeldBackWhile(() -> writeBlock(true), "403 cluster_block_exception", () -> writeBlock(false));
    }

    /** An ingest pipeline named by the index but missing meets every document alike: not the documents' fault. */
    @Test
    void anIndexWhoseDefaultPipelineIsMissingHoldsEveryDocumentBackUntilItIsMended() throws Exception {
        documentsAreHeldBackWhile(() -> engine("PUT", "/" + index + "/_settings", "{\"index.default_pipeline\": \"no-such-pipeline\"}"),
                "refused 1 documents for a reason that is not theirs (400 illegal_argument_exception (document 22))",
                () -> engine("PUT", "/" + index + "/_settings", "{\"index.default_pipeline\": \"_none\"}"));
    }

    /** A password that no longer works (rotated on the cluster's side) is refused for every document: held, retried. */
    @Test
    void refusedCredentialsHoldEveryDocumentBackNoneDeadLetteredUntilTheyWorkAgain() throws Exception {
        try (AuthenticatingGateway gateway = new AuthenticatingGateway(engines.searchUrl(), "etl", "s3cret")) {
            documentsAreHeldBackWhile(settings("sink", Map.of("ES_URL", gateway.url(), "ES_USERNAME", "etl",
                            "ES_PASSWORD", "s3cret", "ES_ALLOW_PLAINTEXT_CREDENTIALS", "true")),
                    () -> gateway.acceptOnly("rotated"), "401 security_exception: unable to authenticate user [etl]",
                    () -> gateway.acceptOnly("s3cret"));
        }
    }

    /**
     * The tests' engines take 2 MB in a request ({@code EmbeddedEngines.TEST_SEARCH_SETTINGS}): a batch of 5.7 MB is
     * split until each part is taken, and the one document of 2.7 MB, too large alone, is a dead letter.
     */
    @Test
    void aBulkRequestTooLargeForTheEngineIsSplitAndADocumentTooLargeAloneIsADeadLetter() throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, engines.kafkaBootstrapServers()));
             KafkaProducer<byte[], byte[]> large = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                     engines.kafkaBootstrapServers(), ProducerConfig.MAX_REQUEST_SIZE_CONFIG, 8 << 20),
                     new ByteArraySerializer(), new ByteArraySerializer())) {
            admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1).configs(Map.of("max.message.bytes",
                    Integer.toString(8 << 20))))).all().get();
            Map<String, Map<String, Object>> expected = new LinkedHashMap<>();
            for (int i = 0; i < 10; i++) {
                ShippedOrder order = new ShippedOrder("o" + i, "s" + i, "7", "n".repeat(300_000), 25, "iowa", 1.0, "aud");
                large.send(new ProducerRecord<>(topic, ("o" + i).getBytes(StandardCharsets.UTF_8),
                        Topics.SHIPPED_ORDERS.serializeValue(order))).get();
                expected.put("o" + i, ShippedOrderDocument.of(order));
            }
            // Three fields of 900 KB each: a string of Avro's may hold 1 MiB at most.
            large.send(new ProducerRecord<>(topic, "big".getBytes(StandardCharsets.UTF_8), Topics.SHIPPED_ORDERS.serializeValue(
                    new ShippedOrder("big", "s", "7", "b".repeat(900_000), 25, "o".repeat(900_000), 1.0, "c".repeat(900_000))))).get();

            startSink(settings("sink", Map.of("BULK_MAX_BYTES", Integer.toString(16 << 20), "BULK_FLUSH_INTERVAL", "2s",
                    "KAFKA_CLIENT_MAX_PARTITION_FETCH_BYTES", Integer.toString(16 << 20),
                    "KAFKA_CLIENT_FETCH_MAX_BYTES", Integer.toString(16 << 20))));

            try (TopicProbe deadLetters = new TopicProbe(engines.kafkaBootstrapServers(), Topics.deadLetterOf(topic))) {
                ConsumerRecord<byte[], byte[]> deadLetter = deadLetters.await(1, WAIT).get(0);
                assertThat(new String(deadLetter.key(), StandardCharsets.UTF_8)).isEqualTo("big");
                assertThat(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo(engines.searchEngineName()
                        + " rejected the document (413): request entity too large: the document alone is larger than the"
                        + " engine takes in a request (http.max_content_length)");
            }
            assertThat(documentsWhen(docs -> docs.size() >= 10)).isEqualTo(expected);
        }
    }

    @Test
    void theSinkWritesThroughAnAliasOverTheVersionedIndexItCreatedAndSaysWhereOnReadiness() throws Exception {
        startSink("sink");
        send("22", new ShippedOrder("22", "71", "7", "sue", 25, "iowa", 29.71, "aud"));
        documentsWhen(docs -> docs.size() == 1);

        assertThat(SearchClient.asMap(client.get("/" + index + "/_alias").json())).containsOnlyKeys(index + "_v1");
        assertThat(HttpProbe.get(sink.url("/health/ready")).body()).startsWith("ready: writing " + topic + " to "
                + engines.searchEngineName() + " ").contains(", index " + index + " (alias of " + index + "_v1)");
    }

    @Test
    void aClosedIndexHoldsEveryDocumentBackUntilItIsOpened() throws Exception {
        documentsAreHeldBackWhile(() -> engine("POST", "/" + index + "/_close", null), "index_closed_exception",
                () -> engine("POST", "/" + index + "/_open", null));
    }

    @Test
    void anOlderWriteNeverReplacesANewerDocument() throws Exception {
        VersionedIndex.ensure(client, index, ShippedOrderDocument.mapping());
        BulkWriter<Void> writer = new BulkWriter<>(client, index);
        Map<String, Object> newer = ShippedOrderDocument.of(new ShippedOrder("22", "73", "7", "sue", 26, "ohio", 29.71, "aud"));
        Map<String, Object> older = ShippedOrderDocument.of(new ShippedOrder("22", "71", "7", "sue", 25, "iowa", 29.71, "aud"));

        BulkWriter.Outcome<Void> first = writer.write(List.of(new BulkWriter.Write<>(null, "22", 8, newer)));
        BulkWriter.Outcome<Void> retried = writer.write(List.of(new BulkWriter.Write<>(null, "22", 7, older)));

        assertThat(first.written()).hasSize(1);
        assertThat(retried.written()).isEmpty();
        assertThat(retried.stale()).isEqualTo(1);
        assertThat(documents()).isEqualTo(Map.of("22", newer));
    }

    @Test
    void anUnknownCustomersFieldsAreExplicitNullsAndIdsHaveAKeywordSubField() throws Exception {
        startSink("sink");
        ShippedOrder unknownCustomer = new ShippedOrder("40", "400", "404", null, null, "utah", 9.5, "usd");
        send("40", unknownCustomer);

        Map<String, Object> expected = ShippedOrderDocument.of(unknownCustomer);
        assertThat(expected).containsEntry(Field.CUSTOMER_NAME.name(), null).containsEntry(Field.CUSTOMER_AGE.name(), null);
        assertThat(documentsWhen(docs -> docs.size() == 1)).isEqualTo(Map.of("40", expected));
        for (Field id : List.of(Field.O_ORDER_ID, Field.SHIPMENT_ID, Field.CUSTOMER_ID)) {
            String value = (String) expected.get(id.name());
            assertThat(client.send("POST", "/" + index + "/_count", Map.of("query", Map.of("term", Map.of(id.name() + ".keyword", value))))
                    .json().path("count").asInt()).as(id.name() + ".keyword").isEqualTo(1);
        }
    }

    @Test
    void moreRejectionsInARowThanAllowedHoldTheSinkInsteadOfDeadLetteringThemAll() throws Exception {
        createIndexWithAByteAge();
        for (String id : List.of("23", "24", "25")) {
            send(id, new ShippedOrder(id, "72", "8", "methuselah", 969, "ur", 1.0, "usd"));
        }
        startSink(settings("sink", Map.of(EsSinkConfig.MAX_REJECTIONS_IN_A_ROW, "2")));

        assertThat(awaitNotReadyBecauseOf("rejected in a row")).startsWith("3 documents rejected in a row, none written (last: 400 mapper_parsing_exception");
        try (TopicProbe deadLetters = new TopicProbe(engines.kafkaBootstrapServers(), Topics.deadLetterOf(topic))) {
            assertThat(deadLetters.drain(Duration.ofSeconds(1))).isEmpty();
        }
        // The operator mends the mapping: the held documents are written.
        engine("DELETE", "/" + index, null);
        VersionedIndex.ensure(client, index, ShippedOrderDocument.mapping());

        assertThat(documentsWhen(docs -> docs.size() == 3)).containsOnlyKeys("23", "24", "25");
        awaitReady();
    }
}
