package io.streamingetl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamingetl.avro.Customer;
import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.ChangeHeaders;
import io.streamingetl.contract.DeadLetterHeaders;
import io.streamingetl.contract.Topics;
import io.streamingetl.enrichment.EnrichmentApp;
import io.streamingetl.localstack.Engines;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.localstack.TutorialData;
import io.streamingetl.runtime.DeadLetters;
import io.streamingetl.runtime.TopicAdmin;
import io.streamingetl.testkit.ServiceUnderTest;
import io.streamingetl.testkit.TopicProbe;
import io.streamingetl.testkit.TopicWriter;
import io.streamingetl.testkit.junit.EmbeddedEnginesExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Every {@code ./pipeline} command against the real engines: the pipeline's topics under names of their own,
 * holding the tutorial's customers and two shipped orders, and enrichment-service running on them.
 */
@ExtendWith(EmbeddedEnginesExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineCliIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PREFIX = "cli.";

    private final Engines engines;
    private final Map<String, String> environment = new HashMap<>();
    private final ServiceUnderTest enrichment = new ServiceUnderTest(EnrichmentApp.SERVICE);

    PipelineCliIT(Engines engines) {
        this.engines = engines;
    }

    /** What a command printed, and its exit code. */
    private record Run(int exitCode, String out, String err) {
        List<String> lines() {
            return out.isBlank() ? List.of() : List.of(out.strip().split("\n"));
        }
    }

    private Run pipeline(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = PipelineCli.run(args, environment, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(exitCode, out.toString(), err.toString());
    }

    private static String topic(String contractName) {
        return PREFIX + contractName;
    }

    @BeforeAll
    void startEnrichmentOnTheTutorialsCustomers() throws Exception {
        environment.put("KAFKA_BOOTSTRAP_SERVERS", engines.kafkaBootstrapServers());
        environment.put("SCHEMA_REGISTRY_URL", engines.schemaRegistryUrl());
        environment.put("OPS_TOKEN", "cli-test-operator-token");
        environment.put("ES_URL", engines.searchUrl());
        environment.put("ES_INDEX", PREFIX + "shipped_orders");
        Topics.ALL.forEach(t -> environment.put(t.setting(), topic(t.name())));
        TopicAdmin.ensureTopics(engines.kafkaBootstrapServers(),
                Topics.ALL.stream().map(t -> topic(t.name())).toList(), 1, (short) 1);
        try (TopicWriter writer = new TopicWriter(engines.kafkaBootstrapServers())) {
            for (Customer customer : TutorialData.load().customers()) {
                writer.write(Topics.CUSTOMERS.named(topic(Topics.CUSTOMERS.name())), customer.getId(), customer, Instant.now());
            }
            for (ShippedOrder order : List.of(new ShippedOrder("22", "71", "7", "sue", 25, "iowa", 29.71, "aud"),
                    new ShippedOrder("17", "75", "5", "fred", 34, "texas", 25.25, "eur"))) {
                writer.write(Topics.SHIPPED_ORDERS.named(topic(Topics.SHIPPED_ORDERS.name())), order.getOrderId(), order,
                        Instant.now());
            }
        }
        enrichment.start(ServiceUnderTest.settings(engines, "cli-", environment));
        HttpProbe.awaitOk(enrichment.url("/health/ready"), WAIT);
        environment.put("ENRICHMENT_URL", enrichment.url(""));
    }

    @AfterAll
    void stopEnrichment() {
        enrichment.close();
    }

    @Test
    void topicsListsEveryPipelineTopicAndItsDeadLetterTopicWithItsRecords() {
        Run run = pipeline("topics");

        assertThat(run.exitCode()).isZero();
        assertThat(run.lines()).anySatisfy(line -> assertThat(line.split("\\s+"))
                .startsWith(topic("customers.public.customers"), "1", Integer.toString(TutorialData.load().customers().size())));
        assertThat(run.lines()).anySatisfy(line -> assertThat(line.split("\\s+")).startsWith(topic("shipped_orders"), "1", "2"));
        for (String name : List.of("customers.public.customers", "my-replica-set.logistics.orders",
                "my-replica-set.logistics.shipments", "enriched_orders", "shipped_orders")) {
            assertThat(run.out()).contains(topic(name) + " ").contains(topic(name) + ".dlq ");
        }
    }

    @Test
    void printFromTheBeginningWithALimitPrintsThatManyRecordsAsJson() throws Exception {
        Run run = pipeline("print", topic("shipped_orders"), "--from-beginning", "--limit", "1");

        assertThat(run.exitCode()).isZero();
        assertThat(run.lines()).hasSize(1);
        JsonNode line = RecordJson.JSON.readTree(run.lines().get(0));
        assertThat(line.get("topic").asText()).isEqualTo(topic("shipped_orders"));
        assertThat(line.get("offset").asLong()).isZero();
        assertThat(line.get("key").asText()).isEqualTo("22");
        assertThat(line.get("value")).isEqualTo(RecordJson.JSON.readTree(
                "{\"order_id\": \"22\", \"shipment_id\": \"71\", \"customer_id\": \"7\", \"customer_name\": \"sue\","
                        + " \"customer_age\": 25, \"origin\": \"iowa\", \"price\": 29.71, \"currency\": \"aud\"}"));
    }

    @Test
    void printFromTheEndWithoutFollowPrintsNothingAndSaysWhy() {
        Run run = pipeline("print", topic("shipped_orders"));

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("nothing new on " + topic("shipped_orders")).contains("--from-beginning");
    }

    @Test
    void describeShowsTheValueSchemaAndEveryVersionWithItsFingerprint() {
        Run run = pipeline("describe", topic("shipped_orders"));

        assertThat(run.exitCode()).isZero();
        assertThat(run.out())
                .contains("topic:      " + topic("shipped_orders") + " (setting SHIPPED_ORDERS_TOPIC)")
                .contains("value:      io.streamingetl.avro.ShippedOrder")
                .contains("version 1:  fingerprint ").contains("version 2:  fingerprint ")
                .contains("\"name\" : \"customer_name\"")
                .contains("partitions: 1, replication factor 1")
                .contains("cleanup.policy=compact");
    }

    @Test
    void customerAnswersFromEnrichmentServicesTableAndAnUnknownIdExitsOne() throws Exception {
        Run fred = pipeline("customer", "5");
        Run nobody = pipeline("customer", "404");

        assertThat(fred.exitCode()).isZero();
        assertThat(RecordJson.JSON.readTree(fred.out())).isEqualTo(RecordJson.JSON.readTree(
                "{\"id\": \"5\", \"name\": \"fred\", \"age\": 34}"));
        assertThat(nobody.exitCode()).isEqualTo(1);
        assertThat(nobody.err().strip()).isEqualTo("pipeline: enrichment-service knows no customer with id 404");
    }

    /** Whether the customer table holds an id is open (the tutorial's loader waits on it without a token), and says no more. */
    @Test
    void whetherACustomerIsKnownIsOpenAndSaysNothingOfTheCustomer() {
        HttpProbe.Answer known = HttpProbe.get(enrichment.url("/customers-known/5"));
        HttpProbe.Answer unknown = HttpProbe.get(enrichment.url("/customers-known/404"));

        assertThat(known.status()).isEqualTo(200);
        assertThat(known.body()).contains("\"known\":true").doesNotContain("fred");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(HttpProbe.get(enrichment.url("/customers/5")).status()).as("the customer itself needs the token").isEqualTo(401);
    }

    @Test
    void customerWithoutTheOperatorsTokenIsRefusedNamingTheSetting() {
        String token = environment.remove("OPS_TOKEN");
        try {
            Run run = pipeline("customer", "5");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err().strip()).isEqualTo("pipeline: enrichment-service refused GET /customers/5 (401): set "
                    + "OPS_TOKEN to the operator's token the service was given (its OPS_TOKEN setting)");
        } finally {
            environment.put("OPS_TOKEN", token);
        }
    }

    /** The other services are made to live where nothing answers. */
    private Run withOnlyEnrichmentRunning(String... args) {
        Map<String, String> elsewhere = Map.of("CUSTOMERS_CDC_URL", "http://127.0.0.1:9", "LOGISTICS_CDC_URL",
                "http://127.0.0.1:9", "SHIPMENT_JOIN_URL", "http://127.0.0.1:9", "ES_SINK_URL", "http://127.0.0.1:9");
        environment.putAll(elsewhere);
        try {
            return pipeline(args);
        } finally {
            elsewhere.keySet().forEach(environment::remove);
        }
    }

    @Test
    void statusShowsEnrichmentReadyAndTheServicesThatDoNotAnswerAndExitsFour() {
        Run run = withOnlyEnrichmentRunning("status");

        assertThat(run.exitCode()).isEqualTo(4);
        assertThat(run.lines()).anySatisfy(line -> assertThat(line.split("\\s+")).startsWith("enrichment-service", "yes", "yes"));
        assertThat(run.lines()).anySatisfy(line -> assertThat(line).startsWith("customers-cdc")
                .contains("does not answer at http://127.0.0.1:9 (CUSTOMERS_CDC_URL)"));
        assertThat(run.err()).contains("not every service is ready");
    }

    @Test
    void statusAsJsonIsEachServicesStatusForScripts() throws Exception {
        Run run = withOnlyEnrichmentRunning("status", "--output", "json");

        assertThat(run.exitCode()).isEqualTo(4);
        JsonNode services = RecordJson.JSON.readTree(run.out());
        assertThat(services).hasSize(5);
        JsonNode enrichmentStatus = services.get(2);
        assertThat(enrichmentStatus.get("service").asText()).isEqualTo("enrichment-service");
        assertThat(enrichmentStatus.get("ready").asBoolean()).isTrue();
        assertThat(enrichmentStatus.get("paused").asBoolean()).isFalse();
        assertThat(enrichmentStatus.get("streams_state").asText()).isEqualTo("RUNNING");
        assertThat(services.get(0).get("reason").asText()).isEqualTo("does not answer at http://127.0.0.1:9 (CUSTOMERS_CDC_URL)");
    }

    @Test
    void aPausedServiceIsNotReadySayingSoStatusExitsThreeAndResumeBringsItBack() throws Exception {
        Run pause = pipeline("pause", "enrichment-service");
        Run status = pipeline("status", "--help");
        Run whilePaused = withOnlyEnrichmentRunning("status");
        HttpProbe.Answer ready = HttpProbe.get(enrichment.url("/health/ready"));
        Run resume = pipeline("resume", "enrichment-service");

        assertThat(pause.exitCode()).isZero();
        assertThat(RecordJson.JSON.readTree(pause.out()).get("paused").asBoolean()).isTrue();
        assertThat(status.out()).contains("3   a service answers but is not ready (or paused)");
        assertThat(whilePaused.lines()).anySatisfy(line -> assertThat(line).startsWith("enrichment-service")
                .contains("paused by an operator"));
        assertThat(ready.status()).isEqualTo(503);
        assertThat(resume.exitCode()).isZero();
        assertThat(HttpProbe.awaitOk(enrichment.url("/health/ready"), WAIT).status()).isEqualTo(200);
    }

    @Test
    void pauseWithoutTheOperatorsTokenIsRefusedNamingTheSetting() {
        String token = environment.remove("OPS_TOKEN");
        try {
            Run run = pipeline("pause", "enrichment-service");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.err()).contains("enrichment-service refused POST /control/pause (401): set OPS_TOKEN");
        } finally {
            environment.put("OPS_TOKEN", token);
        }
    }

    @Test
    void aMalformedOrderIsADeadLetterListedWithItsReasonAndReplayedToItsTopic() throws Exception {
        try (TopicWriter writer = new TopicWriter(engines.kafkaBootstrapServers());
             TopicProbe deadLetters = new TopicProbe(engines.kafkaBootstrapServers(), topic("my-replica-set.logistics.orders.dlq"))) {
            writer.writeRaw(topic("my-replica-set.logistics.orders"), "60", "not avro".getBytes(StandardCharsets.UTF_8), Instant.now());
            deadLetters.await(1, WAIT);
        }

        Run run = pipeline("dlq", topic("my-replica-set.logistics.orders"));

        assertThat(run.exitCode()).isZero();
        assertThat(run.lines()).hasSize(1);
        JsonNode deadLetter = RecordJson.JSON.readTree(run.lines().get(0));
        assertThat(deadLetter.get(DeadLetterHeaders.STAGE).asText()).isEqualTo("deserialize");
        assertThat(deadLetter.get(DeadLetterHeaders.ERROR_CLASS).asText()).isEqualTo("org.apache.kafka.common.errors.SerializationException");
        assertThat(deadLetter.get(DeadLetterHeaders.SOURCE_TOPIC).asText()).isEqualTo(topic("my-replica-set.logistics.orders"));
        assertThat(deadLetter.get("key").asText()).isEqualTo("60");
        assertThat(deadLetter.get("value").asText()).isEqualTo("not avro");
        assertThat(run.err()).contains("1 dead letters in " + topic("my-replica-set.logistics.orders.dlq"));

        Run trace = pipeline("trace", "60");

        assertThat(trace.out()).contains(topic("my-replica-set.logistics.orders.dlq") + ": 1 record(s)")
                .contains("why: order 60 was dead-lettered at stage deserialize (" + topic("my-replica-set.logistics.orders.dlq") + ")");

        Run replay = pipeline("dlq", "replay", topic("my-replica-set.logistics.orders"));

        assertThat(replay.lines()).singleElement().asString()
                .startsWith("sent offset 0 to " + topic("my-replica-set.logistics.orders"));
        assertThat(TopicProbe.readToEnd(engines.kafkaBootstrapServers(), topic("my-replica-set.logistics.orders"), WAIT))
                .extracting(r -> new String(r.value(), StandardCharsets.UTF_8)).containsExactly("not avro", "not avro");
    }

    @Test
    void replaySendsEachDeadLetterBackToItsSourceTopicOnceAndADryRunSendsNothing() throws Exception {
        // enriched_orders: no service reads it here, so what the replay sends stays as it was sent.
        String source = topic("enriched_orders");
        byte[] value = Topics.ENRICHED_ORDERS.serializeValue(new EnrichedOrder("29", "7", "sue", 25, 15.0, "aud", "2020-04-02T12:36:00"));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", engines.kafkaBootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            RecordHeaders own = new RecordHeaders();
            ChangeHeaders.setVersion(own, 4242);
            producer.send(new DeadLetters(new SimpleMeterRegistry())
                    .record("index", source, 0, 1, "29".getBytes(StandardCharsets.UTF_8), value, own,
                            new IllegalStateException("the index was closed"))).get();
        }

        Run dryRun = pipeline("dlq", "replay", source, "--dry-run");
        Run replay = pipeline("dlq", "replay", source);
        Run again = pipeline("dlq", "replay", source);

        assertThat(dryRun.lines()).as(dryRun.err()).singleElement().asString().startsWith("would send offset 0 to " + source);
        assertThat(replay.exitCode()).as(replay.err()).isZero();
        assertThat(replay.lines()).singleElement().asString().startsWith("sent offset 0 to " + source);
        assertThat(again.lines()).isEmpty();
        assertThat(again.err()).contains("sent 0 dead letters");
        List<ConsumerRecord<byte[], byte[]>> replayed = TopicProbe.readToEnd(engines.kafkaBootstrapServers(), source, WAIT);
        assertThat(replayed).singleElement().satisfies(r -> {
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("29");
            assertThat(r.value()).isEqualTo(value);
            assertThat(ChangeHeaders.version(r.headers())).as("its version, so an older one stays older").isEqualTo(4242);
            assertThat(r.headers().lastHeader(DeadLetterHeaders.STAGE)).as("no dead letter's header").isNull();
        });
    }

    @Test
    void aDeadLetterFromAnotherTopicOrCutToFitIsNotReplayed() throws Exception {
        String source = topic("my-replica-set.logistics.shipments");
        DeadLetters deadLetters = new DeadLetters(new SimpleMeterRegistry());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", engines.kafkaBootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            ProducerRecord<byte[], byte[]> elsewhere = deadLetters.record("deserialize", topic("enriched_orders"), 0, 3,
                    "71".getBytes(StandardCharsets.UTF_8), new byte[] {1}, new RecordHeaders(), new IllegalStateException("x"));
            producer.send(new ProducerRecord<>(Topics.deadLetterOf(source), null, elsewhere.key(), elsewhere.value(),
                    elsewhere.headers())).get();
            producer.send(deadLetters.record("process:x", source, 0, 4, "72".getBytes(StandardCharsets.UTF_8),
                    new byte[DeadLetters.MAX_PAYLOAD_BYTES + 1], new RecordHeaders(), new IllegalStateException("y"))).get();
        }

        Run replay = pipeline("dlq", "replay", source);

        assertThat(replay.exitCode()).isEqualTo(1);
        assertThat(replay.lines()).isEmpty();
        assertThat(replay.err()).contains("refused offset 0: it was read from " + topic("enriched_orders") + ", not " + source)
                .contains("refused offset 1: its value was cut to fit (900003 bytes before)")
                .contains("sent 0 dead letters from " + Topics.deadLetterOf(source) + ", refused 2");
        assertThat(TopicProbe.readToEnd(engines.kafkaBootstrapServers(), source, Duration.ofSeconds(2))).isEmpty();
    }

    @Test
    void anUnknownTopicIsOneLineAndExitCodeOneAndAWrongOptionExitCodeTwo() {
        Run unknown = pipeline("print", "no-such-topic");
        Run wrong = pipeline("print", topic("shipped_orders"), "--sideways");

        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err().strip().split("\n")).singleElement().asString()
                .startsWith("pipeline: no topic no-such-topic (the pipeline's: " + topic("customers.public.customers"));
        assertThat(wrong.exitCode()).isEqualTo(2);
        assertThat(wrong.err()).contains("Unknown option: '--sideways'");
        assertThat(Arrays.asList(wrong.out(), unknown.out())).containsOnly("");
    }

    /**
     * A dead letter sent back, then a capture-stage one whose re-capture fails (customers-cdc does not answer): the
     * replay exits 1 saying so, yet commits what it sent, so the next run does not send it again.
     */
    @Test
    void aReplayWhoseReCaptureFailsSaysSoExitsOneAndCommitsWhatItSent() throws Exception {
        String source = topic("customers.public.customers");
        DeadLetters deadLetters = new DeadLetters(new SimpleMeterRegistry());
        byte[] value = Topics.CUSTOMERS.serializeValue(new Customer("41", "ann", 41));
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers", engines.kafkaBootstrapServers()),
                new ByteArraySerializer(), new ByteArraySerializer())) {
            producer.send(deadLetters.record("process:x", source, 0, 9, "41".getBytes(StandardCharsets.UTF_8), value,
                    new RecordHeaders(), new IllegalStateException("a bug, since fixed"))).get();
            producer.send(deadLetters.record("size", source, "{server=customers}", "{lsn=1}",
                    "{\"id\": \"42\"}".getBytes(StandardCharsets.UTF_8), new byte[] {1}, new RecordHeaders(),
                    new IllegalStateException("too large"))).get();
        }
        environment.put("CUSTOMERS_CDC_URL", "http://127.0.0.1:9");
        try {
            Run replay = pipeline("dlq", "replay", source);
            Run again = pipeline("dlq", "replay", source);

            assertThat(replay.exitCode()).isEqualTo(1);
            assertThat(replay.err()).contains("sent 1 dead letters from " + source + ".dlq, all acknowledged; re-capturing 1 rows"
                    + " failed (customers-cdc does not answer").contains("committed up to {" + source + ".dlq-0=1}");
            assertThat(again.exitCode()).isEqualTo(1);
            assertThat(again.err()).contains("sent 0 dead letters");
            assertThat(TopicProbe.readToEnd(engines.kafkaBootstrapServers(), source, WAIT))
                    .filteredOn(r -> new String(r.key(), StandardCharsets.UTF_8).equals("41")).hasSize(1);
        } finally {
            environment.remove("CUSTOMERS_CDC_URL");
        }
    }

    @Test
    void aDeadLetterReadFromARepartitionTopicIsRefusedSayingToReCaptureItsSource() {
        ConsumerRecord<byte[], byte[]> deadLetter = new ConsumerRecord<>("shipments.dlq", 0, 0, null, null);
        deadLetter.headers().add(DeadLetterHeaders.SOURCE_TOPIC,
                "shipment-join-service-shipments-by-order-id-repartition".getBytes(StandardCharsets.UTF_8));

        assertThat(DlqReplayCommand.refusal(deadLetter, "shipments")).get().asString()
                .contains("a Kafka Streams internal topic made from shipments").contains("Re-capture the record from its source");
    }

    /** {@code @file} is a file's content only to picocli's argument-file expansion, which is off: here it is an order id. */
    @Test
    void anAtFileArgumentIsTakenAsItIsAndNoFileIsRead() throws Exception {
        Path secret = Files.createTempFile("not-for-trace", ".txt");
        Files.writeString(secret, "secret-file-content");

        Run run = pipeline("trace", "@" + secret, "--output", "json");

        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(RecordJson.JSON.readTree(run.out()).get("order_id").asText()).isEqualTo("@" + secret);
        assertThat(run.out() + run.err()).doesNotContain("secret-file-content");
    }

    /**
     * The live page answers only requests addressed to it by 127.0.0.1 or localhost (DNS rebinding), its API only to
     * the operator's token, and traces ids as data: {@code @<file>} reads no file, {@code --help} is no option.
     */
    @Test
    void theLivePageAnswersOnlyItsOwnHostItsApiOnlyToTheTokenAndTakesIdsAsData() throws Exception {
        Path secret = Files.createTempFile("not-for-the-page", ".txt");
        Files.writeString(secret, "secret-file-content");
        try (UiServer page = UiServer.start(environment)) {
            String base = page.url().substring(0, page.url().indexOf('#'));
            assertThat(page.url()).endsWith("#token=" + environment.get("OPS_TOKEN"));
            Map<String, String> token = Map.of("Authorization", "Bearer " + environment.get("OPS_TOKEN"));

            HttpProbe.Answer withoutToken = HttpProbe.get(base + "api/trace?id=22");
            HttpProbe.Answer atFile = HttpProbe.get(base + "api/trace?id=" + URLEncoder.encode("@" + secret, StandardCharsets.UTF_8), token);
            HttpProbe.Answer help = HttpProbe.get(base + "api/trace?id=--help", token);
            HttpProbe.Answer control = HttpProbe.get(base + "api/trace?id=" + URLEncoder.encode("2\n2", StandardCharsets.UTF_8), token);
            String rebound = rawGet(base, "/api/overview", "evil.example:" + URI.create(base).getPort(), token);
            String pageForeignHost = rawGet(base, "/", "evil.example", Map.of());

            assertThat(withoutToken.status()).isEqualTo(401);
            assertThat(atFile.status()).isEqualTo(200);
            assertThat(atFile.body()).doesNotContain("secret-file-content");
            assertThat(RecordJson.JSON.readTree(atFile.body()).get("order_id").asText()).isEqualTo("@" + secret);
            assertThat(help.status()).isEqualTo(200);
            assertThat(help.body()).doesNotContain("Usage");
            assertThat(RecordJson.JSON.readTree(help.body()).get("order_id").asText()).isEqualTo("--help");
            assertThat(control.status()).isEqualTo(400);
            assertThat(rebound).startsWith("HTTP/1.1 421");
            assertThat(pageForeignHost).startsWith("HTTP/1.1 421");
            assertThat(HttpProbe.get(base).status()).as("the page itself, by its own address").isEqualTo(200);
            assertThat(HttpProbe.get(base.replace("127.0.0.1", "localhost") + "api/overview", token).status()).isEqualTo(200);
        }
    }

    /** One request with the {@code Host} header given (Java's HTTP client will not send another host's name). */
    private static String rawGet(String base, String path, String host, Map<String, String> headers) throws Exception {
        URI uri = URI.create(base);
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            StringBuilder request = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n");
            headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
            socket.getOutputStream().write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            return new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
