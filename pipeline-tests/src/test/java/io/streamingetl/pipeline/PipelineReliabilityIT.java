package io.streamingetl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.mongodb.client.model.Updates;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamingetl.contract.Topics;
import io.streamingetl.harness.LoadGenerator;
import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.localstack.EmbeddedEngines;
import io.streamingetl.localstack.Engines;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.localstack.SearchEngineKind;
import io.streamingetl.runtime.DeadLetters;
import io.streamingetl.testkit.TopicProbe;
import io.streamingetl.testkit.TopicWriter;
import io.streamingetl.testkit.junit.EmbeddedEnginesExtension;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.awaitility.core.ConditionTimeoutException;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Faults during a load, on the whole pipeline (the services as processes from their jars, each scenario a pipeline of
 * its own on the run's engines, {@link Pipelines#own}; the scenario that stops Elasticsearch on a node of its own):
 * crashes, an Elasticsearch outage, malformed input of every kind. The final index
 * must equal what the load generator computed from its inputs alone. Bounded for CI; the longer profile
 * is {@code -Dreliability.orders=20000 -Dreliability.outage.seconds=120}.
 */
@ExtendWith(EmbeddedEnginesExtension.class)
class PipelineReliabilityIT {
    private static final int ORDERS = Integer.getInteger("reliability.orders", 5000);
    private static final int OUTAGE_SECONDS = Integer.getInteger("reliability.outage.seconds", 30);
    private static final int CHANGES_PER_SECOND = 400;
    private static final Duration CONVERGE = Duration.ofMinutes(4);

    /** A scenario that stops its search engine: it gets a node of its own, the others' going on. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    private @interface StopsItsSearchEngine {
    }

    private final EmbeddedEngines shared;
    private Engines engines;
    private LocalPipeline demo;
    private Path workDir;

    PipelineReliabilityIT(Engines engines) {
        this.shared = (EmbeddedEngines) engines;
    }

    @BeforeEach
    void start(TestInfo test) throws Exception {
        engines = test.getTestMethod().orElseThrow().isAnnotationPresent(StopsItsSearchEngine.class)
                ? shared.withOwnSearchEngine(SearchEngineKind.ELASTICSEARCH) : shared;
        workDir = Files.createTempDirectory("reliability");
        // Clients see new partitions within 2 s rather than Kafka's default 5 min (the partitions scenario).
        demo = Pipelines.own(engines, new LocalPipeline.Options(LocalPipeline.repositoryRoot(),
                workDir, 0, 3, 1, Map.of("KAFKA_CLIENT_METADATA_MAX_AGE_MS", "2000")));
    }

    @AfterEach
    void stop() {
        demo.close();
        if (engines != shared) {
            engines.close();
        }
    }

    private LoadGenerator loadCustomers(long seed) throws Exception {
        LoadGenerator load = new LoadGenerator(ORDERS, Duration.ofSeconds(1), seed);
        load.writeCustomers(engines.postgres(), demo.database(), LocalPipeline.DB_USER, LocalPipeline.DB_PASSWORD);
        demo.awaitCustomersInTable(load.customerIds());
        return load;
    }

    private CompletableFuture<Void> loadLogistics(LoadGenerator load, AtomicLong written) {
        return CompletableFuture.runAsync(() -> {
            try {
                load.writeLogistics(demo.logistics(), CHANGES_PER_SECOND, written::set);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private Map<String, Map<String, Object>> documentsWhen(Predicate<Map<String, Map<String, Object>>> condition)
            throws Exception {
        return await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(1)).until(demo::documents, condition);
    }

    /**
     * The victims' order and kill times come from the seed printed with each kill; {@code -Dreliability.seed=}
     * replays them, {@code -Dreliability.victims=a,b} kills only those.
     */
    @Test
    void killingEachServiceOnceDuringALoadLosesNothingAndDuplicatesNothing() throws Exception {
        long seed = Long.getLong("reliability.seed", System.nanoTime());
        Random random = new Random(seed);
        LoadGenerator load = loadCustomers(seed);
        assertThat(load.totalChanges()).isGreaterThanOrEqualTo(10_000);
        List<String> victims = new ArrayList<>(List.of(System.getProperty("reliability.victims",
                String.join(",", LocalPipeline.SERVICES)).split(",")));
        Collections.shuffle(victims, random);
        AtomicLong written = new AtomicLong();
        CompletableFuture<Void> loading = loadLogistics(load, written);

        long loadMillis = load.changes().size() * 1000L / CHANGES_PER_SECOND;
        List<CompletableFuture<Void>> restarts = new ArrayList<>();
        for (String victim : victims) {
            Thread.sleep((long) (random.nextDouble() * loadMillis / victims.size()));
            LocalPipeline.say("seed " + seed + ": killing " + victim + " after " + written.get() + " changes; it reported "
                    + HttpProbe.get("http://127.0.0.1:" + demo.service(victim).httpPort() + "/metrics").body().lines()
                    .filter(l -> l.startsWith("pipeline_cdc_events_total") || l.startsWith("pipeline_es_documents_indexed_total"))
                    .toList());
            restarts.add(CompletableFuture.runAsync(() -> {
                try {
                    demo.crashAndRestart(victim);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        loading.get();
        CompletableFuture.allOf(restarts.toArray(CompletableFuture[]::new)).get();

        Map<String, Map<String, Object>> expected = load.expectedDocuments();
        try {
            documentsWhen(d -> d.equals(expected));
        } catch (ConditionTimeoutException e) {
            LocalPipeline.say("seed " + seed + ": " + whereTheyAre(expected, demo.documents()));
        }
        Map<String, Map<String, Object>> documents = demo.documents();
        assertThat(documents.size()).as("documents (seed %d)", seed).isEqualTo(expected.size());
        assertThat(documents).as("documents (seed %d)", seed).isEqualTo(expected);
    }

    @Test
    @StopsItsSearchEngine
    void elasticsearchAwayMidLoadMakesTheSinkNotReadyThenItCatchesUpWithNoLoss() throws Exception {
        LoadGenerator load = loadCustomers(42);
        AtomicLong written = new AtomicLong();
        CompletableFuture<Void> loading = loadLogistics(load, written);
        // Mid-load: a few seconds of changes written, most of the load still to come during the outage.
        await().atMost(Duration.ofMinutes(1)).until(() -> written.get() >= 3L * CHANGES_PER_SECOND);

        engines.suspendSearchEngine();
        LocalPipeline.say("Elasticsearch stopped for " + OUTAGE_SECONDS + " s after " + written.get() + " changes");
        String readyUrl = demo.service("es-sink-service").readyUrl();
        try {
            long backAt = System.nanoTime() + OUTAGE_SECONDS * 1_000_000_000L;
            // The sink is not ready once it has something to write: however long the records take to reach it.
            HttpProbe.Answer whileAway = await().atMost(CONVERGE).pollInterval(Duration.ofMillis(200)).until(() -> HttpProbe.get(readyUrl), a -> a.status() == 503);
            assertThat(whileAway.status()).isEqualTo(503);
            assertThat(whileAway.body()).startsWith("not ready: Elasticsearch unavailable while writing");
            Thread.sleep(Math.max(0, (backAt - System.nanoTime()) / 1_000_000));
        } finally {
            engines.resumeSearchEngine();
        }
        loading.get();

        Map<String, Map<String, Object>> expected = load.expectedDocuments();
        assertThat(documentsWhen(d -> d.equals(expected))).isEqualTo(expected);
        assertThat(HttpProbe.awaitOk(readyUrl, Duration.ofMinutes(1)).status()).isEqualTo(200);
    }

    @Test
    void malformedInputsOfEveryKindLandInTheirDeadLetterTopicsAndNoServiceStops() throws Exception {
        demo.seedTutorial();
        assertThat(documentsWhen(d -> d.size() == 5)).hasSize(5);

        // A row the Customer schema does not allow.
        engines.postgres().execute(demo.database(), LocalPipeline.DB_USER, LocalPipeline.DB_PASSWORD,
                "ALTER TABLE customers ALTER COLUMN age TYPE BIGINT",
                "INSERT INTO customers (id, name, age) VALUES ('66', 'bigint', 66)",
                "ALTER TABLE customers ALTER COLUMN age TYPE INT");
        // Documents without ts, with a bad ts, without an id, with a price as text.
        var orders = demo.logistics().getCollection("orders");
        orders.insertOne(new Document(Map.of("order_id", "40", "customer_id", "7", "price", 1.0, "currency", "usd")));
        orders.insertOne(new Document(Map.of("order_id", "41", "customer_id", "7", "price", 1.0, "currency", "usd", "ts", "soon")));
        orders.insertOne(new Document(Map.of("customer_id", "7", "price", 1.0, "currency", "usd", "ts", "2020-04-03T11:20:00")));
        orders.insertOne(new Document(Map.of("order_id", "43", "customer_id", "7", "price", "12.50", "currency", "usd", "ts", "2020-04-03T11:20:00")));
        // A document stamped years ahead: sent on, it would be refused by the broker (or make later orders late).
        orders.insertOne(new Document(Map.of("order_id", "50", "customer_id", "5", "price", 10.0, "currency", "usd", "ts", "2030-01-01T00:00:00")));
        demo.logistics().getCollection("shipments")
                .insertOne(new Document(Map.of("order_id", "22", "origin", "iowa", "ts", "2020-04-04T12:25:00")));
        // A document Elasticsearch rejects for itself: an order id longer than a keyword may be.
        String immense = "9".repeat(40_000);
        orders.insertOne(new Document(Map.of("order_id", immense, "customer_id", "7", "price", 1.0, "currency", "usd", "ts", "2020-04-03T11:20:00")));
        demo.logistics().getCollection("shipments")
                .insertOne(new Document(Map.of("order_id", immense, "shipment_id", "98", "origin", "iowa", "ts", "2020-04-04T12:25:00")));
        // Bytes that are not Avro at all, on every topic.
        try (TopicWriter writer = new TopicWriter(engines.kafkaBootstrapServers())) {
            for (String topic : demo.topics()) {
                writer.writeRaw(topic, "garbage", "not avro".getBytes(StandardCharsets.UTF_8), null);
            }
        }

        Map<String, Long> expectedDeadLetters = Map.of(
                demo.topic(Topics.CUSTOMERS), 2L, demo.topic(Topics.ORDERS), 6L, demo.topic(Topics.SHIPMENTS), 2L,
                demo.topic(Topics.ENRICHED_ORDERS), 1L, demo.topic(Topics.SHIPPED_ORDERS), 2L);
        for (Map.Entry<String, Long> e : expectedDeadLetters.entrySet()) {
            demo.awaitCount(Topics.deadLetterOf(e.getKey()), e.getValue(), Duration.ofMinutes(1));
        }
        for (Map.Entry<String, Long> e : expectedDeadLetters.entrySet()) {
            assertThat(demo.count(Topics.deadLetterOf(e.getKey()))).as(Topics.deadLetterOf(e.getKey())).isEqualTo(e.getValue());
        }
        Map<String, Long> byDeadLetterTopic = new TreeMap<>();
        expectedDeadLetters.forEach((topic, n) -> byDeadLetterTopic.put(Topics.deadLetterOf(topic), n));
        assertThat(demo.progress()).contains(" | dead letters " + byDeadLetterTopic + " | ");
        for (String service : LocalPipeline.SERVICES) {
            assertThat(demo.service(service).isAlive()).as(service + " alive").isTrue();
            assertThat(HttpProbe.get(demo.service(service).readyUrl()).status()).as(service + " ready").isEqualTo(200);
        }
        assertThat(HttpProbe.get("http://127.0.0.1:" + demo.service("es-sink-service").httpPort() + "/metrics").body())
                .contains("pipeline_dead_letters_total{service=\"es-sink-service\",source_topic=\"" + demo.topic(Topics.SHIPPED_ORDERS)
                        + "\",stage=\"index\"} 1.0");

        demo.liveStep();
        assertThat(documentsWhen(d -> d.size() == 6)).containsOnlyKeys("13", "15", "17", "22", "29", "31");
        assertNoSecretInLogs();
    }

    @Test
    void aWriteBlockedIndexHoldsDocumentsBackWithTheSinkNotReadyThenEveryOneArrives() throws Exception {
        demo.seedTutorial();
        assertThat(documentsWhen(d -> d.size() == 5)).hasSize(5);
        String settings = engines.searchUrl() + "/" + demo.index() + "/_settings";
        String readyUrl = demo.service("es-sink-service").readyUrl();

        assertThat(HttpProbe.putJson(settings, "{\"index.blocks.write\": true}").status()).isEqualTo(200);
        var logistics = demo.logistics();
        logistics.getCollection("orders").insertOne(Document.parse(
                "{\"customer_id\": \"2\", \"order_id\": \"60\", \"price\": 11.0, \"currency\": \"usd\", \"ts\": \"2020-04-03T11:20:00\"}"));
        logistics.getCollection("shipments").insertOne(Document.parse(
                "{\"order_id\": \"60\", \"shipment_id\": \"600\", \"origin\": \"ohio\", \"ts\": \"2020-04-03T12:20:00\"}"));
        HttpProbe.Answer blocked = await().atMost(Duration.ofMinutes(1)).pollInterval(Duration.ofMillis(200)).until(() -> HttpProbe.get(readyUrl), a -> a.status() == 503);
        assertThat(blocked.body()).contains("403 cluster_block_exception");
        assertThat(demo.count(Topics.deadLetterOf(demo.topic(Topics.SHIPPED_ORDERS)))).isZero();

        assertThat(HttpProbe.putJson(settings, "{\"index.blocks.write\": false}").status()).isEqualTo(200);
        assertThat(documentsWhen(d -> d.size() == 6)).containsOnlyKeys("13", "15", "17", "22", "29", "60");
        assertThat(HttpProbe.awaitOk(readyUrl, Duration.ofMinutes(1)).status()).isEqualTo(200);
        assertThat(demo.count(Topics.deadLetterOf(demo.topic(Topics.SHIPPED_ORDERS)))).isZero();
    }

    /**
     * Order 22 moves from iowa to ohio with a second shipment; then a dead letter holding its first, older
     * shipped order is replayed (./pipeline dlq replay shipped_orders): the topic holds a newer record of 22, so
     * the replay skips it rather than make the older record the one compaction keeps, and the index keeps ohio.
     * (That the version alone refuses an old record written again: PipelineNothingStaleIT.)
     */
    @Test
    void aReplayedOldDeadLetterOfAnOrderLeavesItsNewerDocument() throws Exception {
        demo.seedTutorial();
        documentsWhen(d -> d.size() == 5);
        demo.logistics().getCollection("shipments").insertOne(Document.parse(
                "{\"order_id\": \"22\", \"shipment_id\": \"73\", \"origin\": \"ohio\", \"ts\": \"2020-04-05T10:00:00\"}"));
        assertThat(documentsWhen(d -> "ohio".equals(d.get("22").get("ORIGIN"))).get("22")).containsEntry("ORIGIN", "ohio");
        ConsumerRecord<byte[], byte[]> older = TopicProbe.readToEnd(engines.kafkaBootstrapServers(), demo.topic(Topics.SHIPPED_ORDERS),
                Duration.ofSeconds(30)).stream().filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("22"))
                .findFirst().orElseThrow();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", engines.kafkaBootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(new DeadLetters(new SimpleMeterRegistry()).record("index", older,
                    new IllegalStateException("the index was closed"))).get();
        }

        OperatorCommand replay = OperatorCommand.run(demo, engines, "dlq", "replay", demo.topic(Topics.SHIPPED_ORDERS));

        assertThat(replay.exitCode()).as(replay.err()).isZero();
        String topic = demo.topic(Topics.SHIPPED_ORDERS);
        assertThat(replay.out()).startsWith("skipped offset 0: " + topic + " holds a newer record of 22 (version ");
        assertThat(replay.err()).contains("sent 0 dead letters from " + topic + ".dlq, skipped 1 superseded on " + topic);
        assertThat(TopicProbe.readToEnd(engines.kafkaBootstrapServers(), topic, Duration.ofSeconds(30))
                .stream().filter(r -> new String(r.key(), StandardCharsets.UTF_8).equals("22")).toList())
                .as("nothing sent back to shipped_orders").last().satisfies(r -> assertThat(r.offset()).isGreaterThan(older.offset()));
        assertThat(demo.documents().get("22")).containsEntry("ORIGIN", "ohio").containsEntry("SHIPMENT_ID", "73");
    }

    /**
     * shipped_orders goes from 3 to 6 partitions mid-load, as operations.md advises to scale: keys move to new
     * partitions at lower offsets. Every order then changes its price: each change must still reach the index.
     */
    @Test
    void increasingShippedOrdersPartitionsMidLoadLeavesEveryLaterChangeIndexed() throws Exception {
        LoadGenerator load = loadCustomers(7);
        AtomicLong written = new AtomicLong();
        CompletableFuture<Void> loading = loadLogistics(load, written);
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(100)).until(written::get, n -> n >= load.changes().size() / 2);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, engines.kafkaBootstrapServers()))) {
            admin.createPartitions(Map.of(demo.topic(Topics.SHIPPED_ORDERS), NewPartitions.increaseTo(6))).all().get();
        }
        LocalPipeline.say(demo.topic(Topics.SHIPPED_ORDERS) + ": 6 partitions after " + written.get() + " changes");
        loading.get();
        assertThat(documentsWhen(d -> d.equals(load.expectedDocuments()))).isEqualTo(load.expectedDocuments());

        demo.logistics().getCollection("orders").updateMany(new Document(), Updates.inc("price", 1.0));

        Map<String, Map<String, Object>> expected = new TreeMap<>();
        load.expectedDocuments().forEach((id, document) -> {
            Map<String, Object> repriced = new LinkedHashMap<>(document);
            repriced.put("PRICE", (Double) document.get("PRICE") + 1.0);
            expected.put(id, repriced);
        });
        assertThat(new TreeMap<>(documentsWhen(d -> new TreeMap<>(d).equals(expected)))).isEqualTo(expected);
        assertThat(keysOf(demo.topic(Topics.SHIPPED_ORDERS), 3, 4, 5)).as("orders whose changes moved to new partitions")
                .isNotEmpty();
    }

    /** For the documents missing or different: which topics hold their order and shipment, to see where they stopped. */
    private String whereTheyAre(Map<String, Map<String, Object>> expected, Map<String, Map<String, Object>> documents) {
        List<String> wrong = expected.keySet().stream().filter(id -> !expected.get(id).equals(documents.get(id))).toList();
        Map<String, Set<String>> keysByTopic = new HashMap<>();
        StringBuilder report = new StringBuilder(wrong.size() + " of " + expected.size() + " documents wrong or missing;");
        for (String topic : demo.topics()) {
            keysByTopic.put(topic, keysOf(topic));
            report.append(' ').append(topic).append(" has ").append(keysByTopic.get(topic).size()).append(" keys;");
        }
        for (String id : wrong.subList(0, Math.min(10, wrong.size()))) {
            String shipment = (String) expected.get(id).get("SHIPMENT_ID");
            report.append("\n  ").append(id).append(" index=").append(documents.get(id));
            for (String topic : demo.topics()) {
                report.append(' ').append(topic).append('=')
                        .append(keysByTopic.get(topic).contains(topic.equals(demo.topic(Topics.SHIPMENTS)) ? shipment : id));
            }
        }
        return report.toString();
    }

    /** The keys written to these partitions of {@code topic}. */
    private Set<String> keysOf(String topic, int... partitions) {
        Set<String> keys = new HashSet<>();
        Set<Integer> wanted = new HashSet<>();
        for (int p : partitions) {
            wanted.add(p);
        }
        TopicProbe.readToEnd(engines.kafkaBootstrapServers(), topic, Duration.ofSeconds(30)).stream()
                .filter(r -> wanted.contains(r.partition())).forEach(r -> keys.add(new String(r.key(), StandardCharsets.UTF_8)));
        return keys;
    }

    private Set<String> keysOf(String topic) {
        Set<String> keys = new HashSet<>();
        TopicProbe.readToEnd(engines.kafkaBootstrapServers(), topic, Duration.ofSeconds(30))
                .forEach(r -> keys.add(new String(r.key(), StandardCharsets.UTF_8)));
        return keys;
    }

    private void assertNoSecretInLogs() throws Exception {
        try (Stream<Path> logs = Files.list(workDir.resolve("logs"))) {
            for (Path log : logs.toList()) {
                assertThat(Files.readString(log)).as(log.toString()).doesNotContain(LocalPipeline.DB_PASSWORD);
            }
        }
    }

}
