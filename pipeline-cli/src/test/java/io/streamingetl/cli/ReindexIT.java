package io.streamingetl.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.ChangeHeaders;
import io.streamingetl.contract.DeadLetterHeaders;
import io.streamingetl.contract.ShippedOrderDocument;
import io.streamingetl.contract.Topics;
import io.streamingetl.essink.EsSinkApp;
import io.streamingetl.localstack.Engines;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.runtime.TopicAdmin;
import io.streamingetl.testkit.ServiceUnderTest;
import io.streamingetl.testkit.TopicProbe;
import io.streamingetl.testkit.junit.EmbeddedEnginesExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@code ./pipeline reindex} against a running es-sink-service on the real engines (the JVM's shared ones), each
 * scenario with a topic, index and group of its own: it always ends with the sink running, dead-letters what the
 * engine rejects, and swaps only an index that holds every document.
 */
@ExtendWith(EmbeddedEnginesExtension.class)
class ReindexIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final AtomicInteger RUN = new AtomicInteger();

    private final Engines engines;
    private final String topic;
    private final String index;
    private final Map<String, String> environment = new HashMap<>();
    private final ServiceUnderTest sink = new ServiceUnderTest(EsSinkApp.SERVICE);
    private final KafkaProducer<byte[], byte[]> producer;

    ReindexIT(Engines engines) {
        this.engines = engines;
        int run = RUN.incrementAndGet();
        this.topic = "reindex-" + run + "." + Topics.SHIPPED_ORDERS.name();
        this.index = "reindex_" + run + "_shipped_orders";
        this.producer = new KafkaProducer<>(Map.of("bootstrap.servers", engines.kafkaBootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    @AfterEach
    void stop() {
        sink.close();
        producer.close();
    }

    /** What a command printed, and its exit code. */
    private record Run(int exitCode, String out, String err) {
    }

    private Run pipeline(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = PipelineCli.run(args, environment, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exitCode, out.toString(), err.toString());
    }

    /** The sink on this scenario's topic and index, with the three documents given; the CLI pointed at it. */
    private void sinkWith(ShippedOrder... orders) throws Exception {
        TopicAdmin.ensureTopics(engines.kafkaBootstrapServers(), List.of(topic), 1, (short) 1);
        for (int i = 0; i < orders.length; i++) {
            send(orders[i], 100 + i);
        }
        Map<String, String> own = Map.of("SHIPPED_ORDERS_TOPIC", topic, "ES_URL", engines.searchUrl(), "ES_INDEX", index,
                "GROUP_ID", index + "-sink", "OPS_TOKEN", "reindex-test-operator-token", "RETRY_MAX_BACKOFF", "1s");
        sink.start(ServiceUnderTest.settings(engines, index + "-", own));
        environment.putAll(engines.kafkaClientSettings());
        environment.put("SCHEMA_REGISTRY_URL", engines.schemaRegistryUrl());
        environment.putAll(own);
        environment.put("ES_SINK_URL", sink.url(""));
        await().atMost(WAIT).until(() -> count(index) == orders.length);
    }

    private void send(ShippedOrder order, long version) throws Exception {
        RecordHeaders headers = new RecordHeaders();
        ChangeHeaders.setVersion(headers, version);
        producer.send(new ProducerRecord<>(topic, null, order.getOrderId().getBytes(StandardCharsets.UTF_8),
                Topics.SHIPPED_ORDERS.serializeValue(order), headers)).get();
    }

    private long count(String name) {
        HttpProbe.Answer answer = HttpProbe.get(engines.searchUrl() + "/" + name + "/_count");
        try {
            return answer.status() == 200 ? RecordJson.JSON.readTree(answer.body()).get("count").asLong() : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private JsonNode sinkStatus() throws Exception {
        return RecordJson.JSON.readTree(HttpProbe.get(sink.url("/status")).body());
    }

    private static ShippedOrder order(String id, int age) {
        return new ShippedOrder(id, "s" + id, "7", "sue", age, "iowa", 29.71, "aud");
    }

    private Path mappingWith(String field, String type) throws Exception {
        Map<String, Object> properties = new LinkedHashMap<>(castMap(ShippedOrderDocument.mapping().get("properties")));
        properties.put(field, Map.of("type", type));
        Path file = Files.createTempFile("mapping", ".json");
        Files.writeString(file, RecordJson.JSON.writeValueAsString(Map.of("properties", properties)));
        return file;
    }

    /**
     * The sink's pause waits for its batch under way, which the old index's write block holds back, longer than the CLI
     * waits: the reindex goes on as if it were not paused, swaps, and still resumes it (the resume waits for the pause).
     */
    @Test
    void aReindexWhoseSinkPauseOutlastsTheCliStillEndsWithTheSinkRunning() throws Exception {
        sinkWith(order("1", 30), order("2", 31));
        HttpProbe.putJson(engines.searchUrl() + "/" + index + "_v1/_settings", "{\"index.blocks.write\": true}");
        send(order("3", 32), 200);
        await().atMost(WAIT).until(() -> HttpProbe.get(sink.url("/health/ready")).body().contains("cluster_block"));
        environment.put("CONTROL_TIMEOUT", "2s");

        Run reindex = pipeline("reindex");

        assertThat(reindex.exitCode()).as(reindex.err()).isZero();
        assertThat(reindex.err()).contains("es-sink-service has not answered POST /control/pause within 6000 ms")
                .contains("es-sink-service resumed");
        assertThat(HttpProbe.get(engines.searchUrl() + "/_alias/" + index).body()).contains("\"" + index + "_v2\"");
        await().atMost(WAIT).until(() -> !sinkStatus().get("paused").asBoolean() && sinkStatus().get("ready").asBoolean());
        send(order("4", 33), 300);
        await().atMost(WAIT).until(() -> count(index) == 4);
    }

    /**
     * A new mapping the engine refuses one document under: the rebuild dead-letters it as the live sink does and swaps;
     * the new index keeps the old one's settings and its other aliases move with it. With --max-rejected 0 the next
     * rebuild refuses, deletes the index it made and leaves the alias where it was.
     */
    @Test
    void aReindexOverATopicHoldingADocumentTheEngineRejectsSwapsAndDeadLettersItAndMaxRejectedRefuses() throws Exception {
        sinkWith(order("1", 30), order("2", 300), order("3", 31));
        HttpProbe.putJson(engines.searchUrl() + "/" + index + "_v1/_settings", "{\"index.max_result_window\": 20000}");
        HttpProbe.postJson(engines.searchUrl() + "/_aliases", "{\"actions\": [{\"add\": {\"index\": \"" + index + "_v1\","
                + " \"alias\": \"" + index + "_iowa\", \"filter\": {\"term\": {\"ORIGIN.keyword\": \"iowa\"}}}}]}");
        Path byteAge = mappingWith("CUSTOMER_AGE", "byte");

        Run reindex = pipeline("reindex", "--mapping", byteAge.toString());

        assertThat(reindex.exitCode()).as(reindex.err()).isZero();
        assertThat(RecordJson.JSON.readTree(reindex.out()).get("documents_rejected").asInt()).isEqualTo(1);
        assertThat(reindex.err()).contains("1 documents Elasticsearch rejected dead-lettered to " + topic + ".dlq")
                .contains("es-sink-service resumed");
        assertThat(count(index)).isEqualTo(2);
        assertThat(HttpProbe.get(engines.searchUrl() + "/" + index + "_v2/_settings").body()).contains("\"max_result_window\":\"20000\"");
        assertThat(HttpProbe.get(engines.searchUrl() + "/_alias/" + index + "_iowa").body())
                .contains("\"" + index + "_v2\"").doesNotContain("\"" + index + "_v1\"");
        List<ConsumerRecord<byte[], byte[]>> deadLetters = TopicProbe.readToEnd(engines.kafkaBootstrapServers(), topic + ".dlq", WAIT);
        assertThat(deadLetters).singleElement().satisfies(d -> {
            assertThat(new String(d.key(), StandardCharsets.UTF_8)).isEqualTo("2");
            assertThat(DeadLetterHeaders.header(d.headers(), DeadLetterHeaders.STAGE)).isEqualTo("index");
            assertThat(DeadLetterHeaders.header(d.headers(), DeadLetterHeaders.ERROR_MESSAGE))
                    .startsWith("Elasticsearch rejected the document (400): mapper_parsing_exception");
            assertThat(DeadLetterHeaders.header(d.headers(), DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(topic);
            assertThat(ChangeHeaders.version(d.headers())).isEqualTo(101);
        });

        Run refused = pipeline("reindex", "--mapping", byteAge.toString(), "--max-rejected", "0");

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).contains("rejected more than 0 documents of the new index (--max-rejected)")
                .contains("deleted " + index + "_v3, which this reindex had created; " + index + " stays on " + index + "_v2");
        assertThat(HttpProbe.get(engines.searchUrl() + "/" + index + "_v3").status()).isEqualTo(404);
        assertThat(TopicProbe.readToEnd(engines.kafkaBootstrapServers(), topic + ".dlq", WAIT)).hasSize(1);
        assertThat(sinkStatus().get("paused").asBoolean()).isFalse();
    }

    /** A default ingest pipeline that drops a document: the count falls short, the swap is refused and said why. */
    @Test
    void aRebuiltIndexHoldingFewerDocumentsThanTheTopicMakesIsNotSwappedIn() throws Exception {
        sinkWith(order("1", 30), new ShippedOrder("2", "s2", "7", "sue", 31, "mars", 1.0, "aud"), order("3", 32));
        String pipeline = index + "-drop-mars";
        HttpProbe.putJson(engines.searchUrl() + "/_ingest/pipeline/" + pipeline, "{\"processors\": [{\"drop\":"
                + " {\"if\": \"ctx.ORIGIN == 'mars'\"}}]}");
        Path body = Files.createTempFile("index", ".json");
        Files.writeString(body, RecordJson.JSON.writeValueAsString(Map.of("settings", Map.of("index.default_pipeline", pipeline),
                "mappings", ShippedOrderDocument.mapping())));

        Run reindex = pipeline("reindex", "--mapping", body.toString());

        assertThat(reindex.exitCode()).isEqualTo(1);
        assertThat(reindex.err()).contains(index + "_v2 holds 2 documents where the topic makes 3")
                .contains("deleted " + index + "_v2, which this reindex had created; " + index + " stays on " + index + "_v1");
        assertThat(HttpProbe.get(engines.searchUrl() + "/_alias/" + index).body()).contains("\"" + index + "_v1\"");
        assertThat(sinkStatus().get("paused").asBoolean()).isFalse();
    }

    /** A reindex stopped by Ctrl-C between its pause and its resume: its shutdown hook resumes the sink. */
    @Test
    void whileHeldTheSinkSaysWhichReindexPausedItAndTheExitHookResumesIt() throws Exception {
        sinkWith(order("1", 30));
        CliSettings settings = CliSettings.from(io.streamingetl.runtime.Settings.from(environment));

        SinkHold hold = SinkHold.pause(settings, new PrintWriter(new StringWriter(), true), "./pipeline reindex");
        JsonNode held = sinkStatus();
        hold.exitHook().run();

        assertThat(held.get("paused").asBoolean()).isTrue();
        assertThat(held.get("paused_by").asText()).startsWith("./pipeline reindex, ");
        assertThat(held.get("reason").asText()).startsWith("paused by an operator (./pipeline reindex, ");
        assertThat(sinkStatus().get("paused").asBoolean()).isFalse();
        hold.close();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object map) {
        return (Map<String, Object>) map;
    }
}
