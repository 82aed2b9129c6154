package io.streamingetl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingetl.contract.PipelineService;
import io.streamingetl.contract.ShippedOrderDocument;
import io.streamingetl.contract.Topics;
import io.streamingetl.harness.IndexContents;
import io.streamingetl.harness.LoadGenerator;
import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.localstack.Engines;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.testkit.junit.EmbeddedEnginesExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The day-2 operations of ./pipeline on the whole pipeline under a steady load (the services as processes from
 * their jars, each scenario a pipeline of its own on the run's engines, {@link Pipelines#own}): a re-snapshot, a
 * reindex and a reset each leave the index equal to the documents the load generator computed from its inputs alone.
 */
@ExtendWith(EmbeddedEnginesExtension.class)
class PipelineDayTwoIT {
    private static final int ORDERS = 1500;
    private static final int CHANGES_PER_SECOND = 150;
    private static final Duration CONVERGE = Duration.ofMinutes(4);

    private final Engines engines;
    private LocalPipeline demo;

    PipelineDayTwoIT(Engines engines) {
        this.engines = engines;
    }

    @BeforeEach
    void start() throws Exception {
        demo = Pipelines.own(engines, Pipelines.options("day-two"));
    }

    @AfterEach
    void stop() {
        demo.close();
    }

    /** ./pipeline as an operator runs it against this pipeline. */
    private OperatorCommand pipeline(String... args) {
        return OperatorCommand.run(demo, engines, args);
    }

    /** The load's customers in the customer table, then its orders and shipments written at a steady pace meanwhile. */
    private CompletableFuture<Void> steadyLoad(LoadGenerator load, AtomicLong written) throws Exception {
        load.writeCustomers(engines.postgres(), demo.database(), LocalPipeline.DB_USER, LocalPipeline.DB_PASSWORD);
        demo.awaitCustomersInTable(load.customerIds());
        return CompletableFuture.runAsync(() -> {
            try {
                load.writeLogistics(demo.logistics(), CHANGES_PER_SECOND, written::set);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    private void awaitWritten(AtomicLong written, long changes) {
        await().atMost(CONVERGE).pollInterval(Duration.ofMillis(100)).until(written::get, n -> n >= changes);
    }

    private Map<String, Map<String, Object>> documentsOnceEqualTo(Map<String, Map<String, Object>> expected) {
        return await().atMost(CONVERGE).pollInterval(Duration.ofSeconds(1)).until(demo::documents, d -> d.equals(expected));
    }

    @Test
    void reSnapshotsOfCustomersAndOfOneOrderDuringALoadLeaveTheIndexAsTheInputsMakeIt() throws Exception {
        LoadGenerator load = new LoadGenerator(ORDERS, Duration.ofSeconds(1), 7);
        AtomicLong written = new AtomicLong();
        CompletableFuture<Void> loading = steadyLoad(load, written);
        awaitWritten(written, 300);

        OperatorCommand customers = pipeline("snapshot", "customers");
        OperatorCommand oneOrder = pipeline("snapshot", "orders", "--where", "order_id = 'o5'");
        loading.get();

        assertThat(customers.exitCode()).as(customers.err()).isZero();
        assertThat(customers.out()).contains("\"state\" : \"completed\"").contains("\"rows_scanned\" : " + load.customerIds().size());
        assertThat(oneOrder.exitCode()).as(oneOrder.err()).isZero();
        assertThat(oneOrder.out()).contains("\"rows_total\" : 1");
        assertThat(oneOrder.err()).contains("late, not joined");
        Map<String, Map<String, Object>> expected = load.expectedDocuments();
        assertThat(documentsOnceEqualTo(expected)).isEqualTo(expected);
    }

    @Test
    void aReindexDuringALoadSwapsTheAliasToV2WithTheNewMappingAndEveryDocumentWhileTheCountNeverDrops() throws Exception {
        LoadGenerator load = new LoadGenerator(ORDERS, Duration.ofSeconds(1), 11);
        AtomicLong written = new AtomicLong();
        CompletableFuture<Void> loading = steadyLoad(load, written);
        awaitWritten(written, 300);
        await().atMost(CONVERGE).until(() -> IndexContents.count(engines.searchUrl(), demo.index()) > 0);
        List<Long> counts = new ArrayList<>();
        AtomicBoolean reading = new AtomicBoolean(true);
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try {
                while (reading.get()) {
                    counts.add(IndexContents.count(engines.searchUrl(), demo.index()));
                    Thread.sleep(20);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        Map<String, Object> properties = new LinkedHashMap<>(castMap(ShippedOrderDocument.mapping().get("properties")));
        properties.put("NOTE", Map.of("type", "keyword"));
        Path mapping = Files.createTempFile("mapping", ".json");
        Files.writeString(mapping, new ObjectMapper().writeValueAsString(Map.of("properties", properties)));

        OperatorCommand reindex = pipeline("reindex", "--mapping", mapping.toString());
        loading.get();
        Map<String, Map<String, Object>> expected = load.expectedDocuments();
        Map<String, Map<String, Object>> documents = documentsOnceEqualTo(expected);
        reading.set(false);
        reader.get();

        assertThat(reindex.exitCode()).as(reindex.err()).isZero();
        assertThat(HttpProbe.get(engines.searchUrl() + "/_alias/" + demo.index()).body()).contains("\"" + demo.index() + "_v2\"");
        assertThat(HttpProbe.get(engines.searchUrl() + "/" + demo.index() + "_v2/_mapping").body()).contains("\"NOTE\":{\"type\":\"keyword\"}");
        assertThat(documents).isEqualTo(expected);
        assertThat(counts).as("the alias's count, read %d times", counts.size()).isNotEmpty().doesNotContain(-1L)
                .isSortedAccordingTo(Long::compare);
    }

    @Test
    void aResetOfTheJoinIsRefusedWhileItRunsAndOnceStoppedResetAndStartedTheIndexEndsAsTheInputsMakeIt() throws Exception {
        LoadGenerator load = new LoadGenerator(ORDERS, Duration.ofSeconds(1), 13);
        AtomicLong written = new AtomicLong();
        CompletableFuture<Void> loading = steadyLoad(load, written);
        awaitWritten(written, 300);

        OperatorCommand whileRunning = pipeline("reset", "shipment-join-service", "--to-earliest");
        demo.service("shipment-join-service").stop();
        OperatorCommand reset = pipeline("reset", "shipment-join-service", "--to-earliest");
        demo.startAgain("shipment-join-service");
        loading.get();

        assertThat(whileRunning.exitCode()).isEqualTo(1);
        assertThat(whileRunning.err()).contains("refused: 1 instance(s) of shipment-join-service");
        assertThat(reset.exitCode()).as(reset.err()).isZero();
        assertThat(reset.out()).contains("deleting its internal topics [" + demo.names().group(PipelineService.SHIPMENT_JOIN) + "-");
        Map<String, Map<String, Object>> expected = load.expectedDocuments();
        assertThat(documentsOnceEqualTo(expected)).isEqualTo(expected);
    }

    /**
     * A document over logistics-cdc's size limit is a capture-stage dead letter; once the limit is raised (the fix
     * deployed), replaying the dead letter reads the document again from MongoDB and its order is indexed.
     */
    @Test
    void aCaptureStageDeadLetterIsReplayedByReadingItsDocumentAgainOnceTheCaptureIsFixed() throws Exception {
        demo.seedTutorial();
        await().atMost(CONVERGE).until(() -> demo.documents().size() == 5);
        demo.service("logistics-cdc").stop();
        demo.service("logistics-cdc").set("MAX_CHANGE_BYTES", "20000");
        demo.startAgain("logistics-cdc");
        await().atMost(CONVERGE).until(() -> demo.documents().size() == 5);
        var logistics = demo.logistics();
        String currency = "usd" + " ".repeat(30_000); // a mapped field the record carries: 30 KB over the 20 KB limit
        logistics.getCollection("orders").insertOne(new Document(Map.of("order_id", "70", "customer_id", "7",
                "price", 70.0, "currency", currency, "ts", "2020-04-03T11:20:00")));
        logistics.getCollection("shipments").insertOne(new Document(Map.of("order_id", "70", "shipment_id", "700",
                "origin", "maine", "ts", "2020-04-03T12:20:00")));
        String orders = demo.topic(Topics.ORDERS);
        assertThat(demo.awaitCount(Topics.deadLetterOf(orders), 1, CONVERGE)).isTrue();

        demo.service("logistics-cdc").stop();
        demo.service("logistics-cdc").set("MAX_CHANGE_BYTES", "1000000");
        demo.startAgain("logistics-cdc");
        OperatorCommand dryRun = pipeline("dlq", "replay", orders, "--dry-run");
        OperatorCommand replay = pipeline("dlq", "replay", orders);

        assertThat(dryRun.out()).contains("would re-capture offset 0 (stage size)");
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.err()).contains("re-capturing 1 rows of orders through logistics-cdc");
        assertThat(await().atMost(CONVERGE).until(demo::documents, d -> d.containsKey("70")).get("70"))
                .containsEntry("ORIGIN", "maine").containsEntry("CUSTOMER_NAME", "sue").containsEntry("CURRENCY", currency);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object map) {
        return (Map<String, Object>) map;
    }
}
