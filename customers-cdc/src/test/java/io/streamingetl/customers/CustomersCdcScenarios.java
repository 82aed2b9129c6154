package io.streamingetl.customers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingetl.avro.Customer;
import io.streamingetl.contract.ChangeHeaders;
import io.streamingetl.contract.DeadLetterHeaders;
import io.streamingetl.contract.Topics;
import io.streamingetl.localstack.Engines;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.localstack.PostgresEndpoint;
import io.streamingetl.localstack.TutorialData;
import io.streamingetl.runtime.DeadLetters;
import io.streamingetl.runtime.PrometheusText;
import io.streamingetl.runtime.Settings;
import io.streamingetl.testkit.ServiceUnderTest;
import io.streamingetl.testkit.TopicProbe;
import io.streamingetl.testkit.TopicWriter;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.AbstractMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Headers;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * customers-cdc against a real Postgres and a real Kafka broker: each scenario has its own database,
 * replication slot, offsets topic and output topic. Run on embedded engines and, where Docker runs, on
 * containers.
 */
abstract class CustomersCdcScenarios {
    private static final AtomicInteger RUN = new AtomicInteger();
    private static final Duration WAIT = Duration.ofSeconds(60);
    /** The application's login, owning the database and the table, as the tutorial's. */
    private static final String USER = "postgres-user";
    private static final String PASSWORD = "postgres-pw";
    /** customers-cdc's: no superuser, reading the table and the signal table, writing only the signal table. */
    private static final String CAPTURE_USER = PostgresEndpoint.CAPTURE_ROLE;
    private static final String CAPTURE_PASSWORD = "customers-cdc-test-pw";
    private static final String OPS_TOKEN = "customers-cdc-test-operator-token";

    private final Engines engines;
    private final String database;
    private final String topic;
    private final Settings settings;
    private final ServiceUnderTest capture = new ServiceUnderTest(CustomersCdcApp.SERVICE);
    private TopicProbe probe;

    CustomersCdcScenarios(Engines engines) {
        this.engines = engines;
        int run = RUN.incrementAndGet();
        this.database = "customers_" + run + "_" + engines.kind();
        this.topic = "customers-" + run + "." + Topics.CUSTOMERS.name();
        PostgresEndpoint postgres = engines.postgres();
        postgres.createDatabase(database, USER, PASSWORD);
        postgres.execute(database, USER, PASSWORD, TutorialData.load().customersStatements().toArray(String[]::new));
        postgres.grantCapture(database, CAPTURE_PASSWORD);
        this.settings = ServiceUnderTest.settings(engines, "customers-" + run + "-", Map.ofEntries(
                Map.entry("POSTGRES_HOST", postgres.host()),
                Map.entry("POSTGRES_USER", CAPTURE_USER),
                Map.entry("POSTGRES_PASSWORD", CAPTURE_PASSWORD),
                Map.entry("POSTGRES_PORT", Integer.toString(postgres.port())),
                Map.entry("POSTGRES_DB", database),
                Map.entry("CUSTOMERS_TOPIC", topic),
                Map.entry("SLOT_NAME", "slot_" + run),
                Map.entry("TOPIC_PREFIX", "customers" + run),
                Map.entry("OFFSETS_TOPIC", topic + "-offsets"),
                Map.entry("WAL_CHECK_INTERVAL", "200ms"),
                Map.entry("OPS_TOKEN", OPS_TOKEN),
                Map.entry("SIGNAL_TOPIC", topic + "-signals")));
    }

    private void startCapture() {
        capture.start(settings);
        if (probe == null) {
            probe = new TopicProbe(engines.kafkaBootstrapServers(), topic);
        }
    }

    /**
     * Stops capture once the update's position is stored, as it is in a service that ran a while: stopped
     * sooner, the engine may close before that offset flush, and the restart captures the update again (allowed:
     * capture repeats, never loses) or, before any flush, finds no offset at all and snapshots.
     */
    private void stopCaptureOnceUpdatePositionStored() {
        try (TopicProbe offsets = new TopicProbe(engines.kafkaBootstrapServers(), settings.string("OFFSETS_TOPIC", ""))) {
            offsets.awaitFirst(r -> r.value() != null
                    && new String(r.value(), StandardCharsets.UTF_8).contains("\"messageType\":\"UPDATE\""), WAIT);
        }
        stopCapture();
    }

    private void stopCapture() {
        capture.stop();
    }

    /** Capture stopped, its slot dropped: the server has room for a few only (max_replication_slots), shared by every scenario. */
    @AfterEach
    void stop() {
        capture.close();
        if (probe != null) {
            probe.close();
        }
        String slot = settings.string("SLOT_NAME", "");
        await().atMost(WAIT).until(() -> {
            // Dropped once its sender has gone, which follows the engine's close by a moment.
            count("SELECT count(pg_drop_replication_slot(slot_name)) FROM pg_replication_slots WHERE slot_name = '" + slot
                    + "' AND NOT active");
            return count("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot + "'") == 0;
        });
    }

    private void sql(String... statements) {
        engines.postgres().execute(database, USER, PASSWORD, statements);
    }

    /** Slots are the administrator's: the application's login has no replication rights. */
    private void asAdministrator(String statement) {
        engines.postgres().execute(database, engines.postgres().adminUser(), engines.postgres().adminPassword(), statement);
    }

    private Map.Entry<String, Customer> decode(ConsumerRecord<byte[], byte[]> record) {
        return new AbstractMap.SimpleEntry<>(new String(record.key(), StandardCharsets.UTF_8),
                Topics.CUSTOMERS.registeredIn(engines.schemaRegistry()).deserializeValue(record.value()));
    }

    private List<Map.Entry<String, Customer>> next(int count) {
        return probe.await(count, WAIT).stream().map(this::decode).toList();
    }

    @Test
    void theTutorialsCustomersArriveFromTheSnapshot() {
        startCapture();

        assertThat(next(3)).containsExactly(
                Map.entry("5", new Customer("5", "fred", 34)),
                Map.entry("7", new Customer("7", "sue", 25)),
                Map.entry("2", new Customer("2", "bill", 51)));
    }

    @Test
    void insertUpdateAndDeleteArriveAsNewValueNewValueAndTombstone() {
        startCapture();
        next(3);

        sql("INSERT INTO customers (id, name, age) VALUES ('9', 'victor', 23)",
                "UPDATE customers SET name = 'vic', age = 24 WHERE id = '9'",
                "DELETE FROM customers WHERE id = '9'");

        List<ConsumerRecord<byte[], byte[]>> changes = probe.await(3, WAIT);
        assertThat(changes.stream().map(this::decode).toList()).containsExactly(
                Map.entry("9", new Customer("9", "victor", 23)),
                Map.entry("9", new Customer("9", "vic", 24)),
                new AbstractMap.SimpleEntry<>("9", null));
        assertThat(changes.get(2).value()).isNull();
    }

    @Test
    void eachChangeCarriesItsPositionInTheWalAsItsVersionLaterChangesHigher() {
        startCapture();
        next(3);

        sql("INSERT INTO customers (id, name, age) VALUES ('9', 'victor', 23)",
                "UPDATE customers SET name = 'vic' WHERE id = '9'");

        List<Long> versions = probe.await(2, WAIT).stream().map(r -> ChangeHeaders.version(r.headers())).toList();
        assertThat(versions.get(0)).isPositive();
        assertThat(versions.get(1)).isGreaterThan(versions.get(0));
    }

    /** A row too large for Kafka once stopped capture for good; now it is a dead letter that fits, and capture goes on. */
    @Test
    void aTwoMibRowIsADeadLetterThatFitsAndTheNextRowArrives() {
        startCapture();
        next(3);

        sql("INSERT INTO customers (id, name, age) VALUES ('12', repeat('x', 2097152), 60)",
                "INSERT INTO customers (id, name, age) VALUES ('13', 'yvonne', 61)");

        assertThat(next(1)).containsExactly(Map.entry("13", new Customer("13", "yvonne", 61)));
        try (TopicProbe deadLetters = new TopicProbe(engines.kafkaBootstrapServers(), Topics.deadLetterOf(topic))) {
            ConsumerRecord<byte[], byte[]> deadLetter = deadLetters.await(1, WAIT).get(0);
            Headers headers = deadLetter.headers();
            assertThat(DeadLetterHeaders.header(headers, DeadLetterHeaders.STAGE)).isEqualTo("size");
            assertThat(DeadLetterHeaders.header(headers, DeadLetterHeaders.ERROR_MESSAGE))
                    .matches("the change is 20\\d{5} bytes as a record of " + topic.replace(".", "\\.")
                            + ", over MAX_CHANGE_BYTES \\(1000000\\)");
            assertThat(Integer.parseInt(DeadLetterHeaders.header(headers, DeadLetterHeaders.PAYLOAD_BYTES))).isGreaterThan(2_097_152);
            assertThat(deadLetter.value()).hasSizeLessThanOrEqualTo(DeadLetters.MAX_PAYLOAD_BYTES);
            assertThat(new String(deadLetter.value(), 0, 30, StandardCharsets.UTF_8)).startsWith("{\"id\":\"12\",\"name\":\"xxx");
            assertThat(ChangeHeaders.version(headers)).as("where to find the row in the WAL").isPositive();
        }
        assertThat(capture.health().isReady()).isTrue();
    }

    private double metric(String name) {
        return PrometheusText.max(HttpProbe.get(capture.url("/metrics")).body(), name, Map.of()).orElse(Double.NaN);
    }

    /**
     * Paused, capture reads nothing and the slot keeps the WAL of what it has not read, growing as the database
     * writes; resumed, it takes up where it stopped and the change made meanwhile arrives, once.
     */
    @Test
    void pausedCaptureKeepsItsSlotWhoseRetainedWalGrowsAndResumedItDeliversTheChangeMadeMeanwhile() throws Exception {
        startCapture();
        next(TutorialData.load().customers().size());
        assertThat(await().atMost(WAIT).until(() -> metric("pipeline_cdc_connected"), v -> v == 1.0)).isEqualTo(1.0);
        double retainedBefore = await().atMost(WAIT).until(() -> metric("pipeline_cdc_wal_retained_bytes"), v -> v >= 0);

        capture.running().pause(null);
        sql("UPDATE customers SET age = 41 WHERE id = '5'");
        sql("CREATE TABLE ballast AS SELECT g AS n, repeat('x', 500) AS filler FROM generate_series(1, 20000) g");

        assertThat(await().atMost(WAIT).until(() -> metric("pipeline_cdc_wal_retained_bytes"), v -> v > retainedBefore + 1_000_000))
                .isGreaterThan(retainedBefore + 1_000_000);
        assertThat(HttpProbe.get(capture.url("/health/ready")).body()).contains("paused by an operator");
        assertThat(probe.drain(Duration.ofSeconds(1))).as("nothing captured while paused").isEmpty();

        capture.running().resume();
        assertThat(next(1)).singleElement().satisfies(change -> assertThat(change.getValue().getAge()).isEqualTo(41));
        assertThat(HttpProbe.awaitOk(capture.url("/health/ready"), WAIT).status()).isEqualTo(200);
    }

    private HttpProbe.Answer snapshot(String query) {
        return HttpProbe.post(capture.url("/snapshot?" + query), Map.of("Authorization", "Bearer " + OPS_TOKEN));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> snapshotStatus() throws Exception {
        return (Map<String, Object>) new ObjectMapper().readValue(HttpProbe.get(capture.url("/status")).body(), Map.class).get("snapshot");
    }

    /**
     * An incremental snapshot re-reads every row while capture streams on: a change made meanwhile arrives too, and
     * each customer's last record is its newest state; its progress counts the rows to the end.
     */
    @Test
    void anIncrementalSnapshotReReadsEveryRowWhileStreamingGoesOnAndEndsCompleted() throws Exception {
        startCapture();
        int customers = TutorialData.load().customers().size();
        next(customers);

        assertThat(snapshot("collection=customers").status()).isEqualTo(202);
        sql("UPDATE customers SET age = 35 WHERE id = '5'");

        Map<String, Object> ended = await().atMost(WAIT).until(this::snapshotStatus, s -> "completed".equals(s.get("state")));
        assertThat(ended).containsEntry("rows_total", customers).containsEntry("rows_scanned", customers)
                .containsEntry("collections_done", List.of("public.customers"));
        // A row read in the same window as a change of it is dropped by Debezium's watermarks: the change wins.
        Map<String, Customer> last = new LinkedHashMap<>();
        await().atMost(WAIT).until(() -> {
            probe.drain(Duration.ofMillis(200)).stream().map(this::decode).forEach(r -> last.put(r.getKey(), r.getValue()));
            return last.size() == customers && last.get("5").getAge() == 35;
        });
        assertThat(last.keySet()).containsExactlyInAnyOrderElementsOf(TutorialData.load().customers().stream().map(Customer::getId).toList());
    }

    @Test
    void anIncrementalSnapshotWithAConditionReReadsTheRowsItSelectsOnly() throws Exception {
        startCapture();
        next(TutorialData.load().customers().size());

        assertThat(snapshot("collection=customers&where=" + java.net.URLEncoder.encode("id = '7'", StandardCharsets.UTF_8)).status())
                .isEqualTo(202);

        await().atMost(WAIT).until(this::snapshotStatus, s -> "completed".equals(s.get("state")));
        assertThat(next(1)).extracting(Map.Entry::getKey).containsExactly("7");
        assertThat(probe.drain(Duration.ofSeconds(1))).isEmpty();
    }

    @Test
    void aSnapshotOfACollectionItDoesNotCaptureOrWithABadConditionIsRefusedSayingWhy() {
        startCapture();

        HttpProbe.Answer unknown = snapshot("collection=orders");
        HttpProbe.Answer bad = snapshot("collection=customers&where=" + java.net.URLEncoder.encode("no_such_column = 1", StandardCharsets.UTF_8));

        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body()).contains("captures no collection 'orders'; one of [customers]");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body()).contains("no_such_column");
    }

    /**
     * A snapshot's condition is one expression: a statement after a ';' is refused before it reaches Postgres; and the
     * capture's login, which runs conditions, is no superuser and has no right to drop, write or create anything.
     */
    @Test
    void aStatementInASnapshotConditionIsRefusedAndTheCaptureLoginMayNotRunItAnyway() {
        startCapture();
        next(TutorialData.load().customers().size());

        HttpProbe.Answer smuggled = snapshot("collection=customers&where=" + URLEncoder.encode("1=1; DROP TABLE customers", StandardCharsets.UTF_8));
        HttpProbe.Answer commented = snapshot("collection=customers&where=" + URLEncoder.encode("1=1) --", StandardCharsets.UTF_8));

        assertThat(smuggled.status()).isEqualTo(400);
        assertThat(smuggled.body()).contains("';': one condition, not statements");
        assertThat(commented.status()).isEqualTo(400);
        PostgresEndpoint postgres = engines.postgres();
        for (String statement : List.of("DROP TABLE customers", "CREATE TABLE audit_pwned (x int)",
                "CREATE TEMPORARY TABLE audit_pwned (x int)", "INSERT INTO customers (id, name, age) VALUES ('66', 'mallory', 66)",
                "DELETE FROM debezium_signal", "ALTER ROLE " + CAPTURE_USER + " SUPERUSER")) {
            assertThatThrownBy(() -> postgres.execute(database, CAPTURE_USER, CAPTURE_PASSWORD, statement)).as(statement)
                    .hasMessageMatching("(?s).*(permission denied|must be owner).*");
        }
        assertThat(count("SELECT count(*) FROM pg_roles WHERE rolname = '" + CAPTURE_USER + "' AND NOT rolsuper"
                + " AND NOT rolcreatedb AND NOT rolcreaterole AND rolreplication")).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM customers")).as("the table stands").isEqualTo(TutorialData.load().customers().size());
        assertThat(capture.health().isReady()).isTrue();
    }

    private long count(String query) {
        try (Connection connection = engines.postgres().connect(database); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Only the operator starts a snapshot: an execute-snapshot signal written to the Kafka signal topic (no token) is read
     * by no one, as the Kafka channel is off unless SIGNAL_KAFKA_ENABLED; the operator's snapshot, asked for after it,
     * re-reads its one row and nothing else.
     */
    @Test
    void anExecuteSnapshotSignalWrittenToKafkaStartsNothingWhileTheOperatorsDoes() throws Exception {
        startCapture();
        next(TutorialData.load().customers().size());
        try (TopicWriter writer = new TopicWriter(engines.kafkaBootstrapServers())) {
            writer.writeRaw(settings.string("SIGNAL_TOPIC", ""), settings.string("TOPIC_PREFIX", ""), ("{\"type\": \"execute-snapshot\","
                    + " \"data\": {\"data-collections\": [\"public.customers\"], \"type\": \"INCREMENTAL\"}}")
                    .getBytes(StandardCharsets.UTF_8), Instant.now());
        }

        assertThat(snapshot("collection=customers&where=" + URLEncoder.encode("id = '2'", StandardCharsets.UTF_8)).status()).isEqualTo(202);

        await().atMost(WAIT).until(this::snapshotStatus, s -> "completed".equals(s.get("state")));
        assertThat(next(1)).extracting(Map.Entry::getKey).containsExactly("2");
        assertThat(probe.drain(Duration.ofSeconds(1))).isEmpty();
        try (Admin admin = Admin.create(engines.kafkaConnection().with(Map.of()))) {
            assertThat(admin.listGroups().all().get(30, TimeUnit.SECONDS)).as("no consumer reads the signal topic")
                    .noneMatch(group -> group.groupId().equals(settings.string("ENGINE_NAME", "customers-cdc") + "-signals"));
        }
    }

    @Test
    void aRestartResumesWithoutANewSnapshotAndDeliversTheChangeMadeWhileStopped() {
        startCapture();
        next(3);
        sql("UPDATE customers SET age = 35 WHERE id = '5'");
        assertThat(next(1)).containsExactly(Map.entry("5", new Customer("5", "fred", 35)));
        stopCaptureOnceUpdatePositionStored();

        sql("INSERT INTO customers (id, name, age) VALUES ('9', 'victor', 23)");
        startCapture();

        assertThat(next(1)).containsExactly(Map.entry("9", new Customer("9", "victor", 23)));
        assertThat(probe.drain(Duration.ofSeconds(5))).isEmpty();
    }

    @Test
    void aRowTheSchemaDoesNotAllowGoesToTheDeadLetterTopicAndCaptureCarriesOn() {
        startCapture();
        next(3);
        sql("ALTER TABLE customers ALTER COLUMN age TYPE BIGINT",
                "INSERT INTO customers (id, name, age) VALUES ('10', 'wanda', 40)",
                "ALTER TABLE customers ALTER COLUMN age TYPE INT",
                "INSERT INTO customers (id, name, age) VALUES ('11', 'xavier', 41)");

        try (TopicProbe deadLetters = new TopicProbe(engines.kafkaBootstrapServers(), Topics.deadLetterOf(topic))) {
            ConsumerRecord<byte[], byte[]> deadLetter = deadLetters.await(1, WAIT).get(0);
            assertThat(new String(deadLetter.value(), StandardCharsets.UTF_8))
                    .isEqualTo("{\"id\":\"10\",\"name\":\"wanda\",\"age\":40}");
            Headers headers = deadLetter.headers();
            assertThat(DeadLetterHeaders.header(headers, DeadLetterHeaders.STAGE)).isEqualTo("map");
            assertThat(DeadLetterHeaders.header(headers, DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo("customers.age must be an int, was Long 40");
            assertThat(DeadLetterHeaders.header(headers, DeadLetterHeaders.SOURCE_TOPIC)).isEqualTo(topic);
        }
        assertThat(next(1)).containsExactly(Map.entry("11", new Customer("11", "xavier", 41)));
    }

    /** Capture stopped once the update's position is stored; then the slot is lost, as {@code loseSlot} loses it. */
    private void stopAndThenLoseTheSlot(Runnable loseSlot) {
        next(3);
        sql("UPDATE customers SET age = 35 WHERE id = '5'");
        next(1);
        stopCaptureOnceUpdatePositionStored();
        loseSlot.run();
    }

    private String slot() {
        return settings.string("SLOT_NAME", "");
    }

    private String readinessOnceStopped() {
        return await().atMost(WAIT).until(() -> HttpProbe.get(capture.url("/health/ready")).body(), body -> body.contains("capture stopped"));
    }

    /**
     * The slot dropped and created again after the stored position (by hand, or by a failover or an upgrade): capture does
     * not start at the new slot's later position, which would skip the change made in between; it stays stopped, live
     * (a restart would find the same), saying why on readiness and /status, pipeline_cdc_history_lost 1 for the alert.
     */
    @Test
    void aReplicationSlotCreatedAgainAfterTheStoredOffsetStopsCaptureInsteadOfSkippingChanges() throws Exception {
        startCapture();
        stopAndThenLoseTheSlot(() -> {
            asAdministrator("SELECT pg_drop_replication_slot('" + slot() + "')");
            sql("INSERT INTO customers (id, name, age) VALUES ('9', 'victor', 23)");
            asAdministrator("SELECT pg_create_logical_replication_slot('" + slot() + "', 'pgoutput')");
        });

        startCapture();

        assertThat(readinessOnceStopped()).contains("replication slot " + slot() + " begins at LSN")
                .contains("it was dropped and created again").contains("ON_HISTORY_LOST=resnapshot");
        assertThat(HttpProbe.get(capture.url("/health/live")).status()).isEqualTo(200);
        assertThat(HttpProbe.get(capture.url("/status")).body()).contains("\"capture\":\"stopped\"");
        assertThat(metric("pipeline_cdc_history_lost")).isEqualTo(1.0);
        assertThat(probe.drain(Duration.ofSeconds(1))).isEmpty();
    }

    /**
     * The slot gone, as after a failover to a standby that did not have it: without ON_HISTORY_LOST=resnapshot Debezium
     * would refuse to start, and the service with it; capture says so and stays up.
     */
    @Test
    void aMissingReplicationSlotStopsCaptureSayingSo() {
        startCapture();
        stopAndThenLoseTheSlot(() -> {
            asAdministrator("SELECT pg_drop_replication_slot('" + slot() + "')");
            sql("INSERT INTO customers (id, name, age) VALUES ('9', 'victor', 23)");
        });

        startCapture();

        assertThat(readinessOnceStopped()).contains("replication slot " + slot() + " does not exist")
                .contains("lost in a failover to a standby that did not have it");
        assertThat(metric("pipeline_cdc_history_lost")).isEqualTo(1.0);
        assertThat(count("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot() + "'"))
                .as("no slot made at a later position").isZero();
    }

    /**
     * The slot lost while capture runs, as when the primary fails over to a standby that did not have it: the stream
     * breaks, Debezium's task starts again, finds no slot and refuses; capture says so rather than failing the service
     * into a restart loop that would find the same.
     */
    @Test
    void aSlotLostWhileCaptureRunsStopsCaptureSayingSo() {
        startCapture();
        next(3);

        // The walsender ended and the slot dropped before Debezium reconnects to it (it retries within half a second).
        await().atMost(WAIT).until(() -> {
            try {
                count("SELECT count(pg_terminate_backend(active_pid)) FROM pg_replication_slots WHERE slot_name = '" + slot() + "'");
                return count("SELECT count(pg_drop_replication_slot(slot_name)) FROM pg_replication_slots WHERE slot_name = '" + slot()
                        + "' AND NOT active") == 1;
            } catch (IllegalStateException active) {
                return false;
            }
        });
        sql("INSERT INTO customers (id, name, age) VALUES ('9', 'victor', 23)");

        assertThat(readinessOnceStopped()).contains("replication slot " + slot() + " does not exist").contains("ON_HISTORY_LOST=resnapshot");
        assertThat(HttpProbe.get(capture.url("/health/live")).status()).isEqualTo(200);
        assertThat(metric("pipeline_cdc_history_lost")).isEqualTo(1.0);
    }

    /**
     * A slot Postgres invalidated while capture was stopped (it held more WAL than max_slot_wal_keep_size), with
     * ON_HISTORY_LOST=resnapshot: the slot is dropped, Debezium creates it again with a new snapshot, every customer is
     * captured again as the table has it now (the ones changed in the lost history included), the one deleted then gets
     * its tombstone once the snapshot is on the topic, and streaming goes on: each key's last record is the table's row.
     */
    @Test
    void anInvalidatedSlotWithOnHistoryLostResnapshotIsCreatedAgainAndTheTopicEndsAsTheTable() throws Exception {
        Settings resnapshot = settings.with("ON_HISTORY_LOST", "resnapshot");
        capture.start(resnapshot);
        probe = new TopicProbe(engines.kafkaBootstrapServers(), topic);
        stopAndThenLoseTheSlot(() -> {
            sql("UPDATE customers SET age = 26 WHERE id = '7'", "INSERT INTO customers (id, name, age) VALUES ('9', 'victor', 23)",
                    "DELETE FROM customers WHERE id = '2'");
            invalidateSlot();
        });

        capture.start(resnapshot);

        assertThat(HttpProbe.awaitOk(capture.url("/health/ready"), WAIT).status()).isEqualTo(200);
        Map<String, Customer> last = new LinkedHashMap<>();
        next(3).forEach(c -> last.put(c.getKey(), c.getValue()));
        assertThat(last).containsOnly(Map.entry("5", new Customer("5", "fred", 35)), Map.entry("7", new Customer("7", "sue", 26)),
                Map.entry("9", new Customer("9", "victor", 23)));
        assertThat(HttpProbe.get(capture.url("/status")).body()).contains("\"capture\":\"resnapshot\"").contains("invalidated");
        assertThat(metric("pipeline_cdc_history_lost_timestamp_seconds")).isPositive();
        assertThat(count("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot() + "' AND wal_status <> 'lost'"))
                .as("a new slot").isEqualTo(1);

        sql("INSERT INTO customers (id, name, age) VALUES ('10', 'wanda', 40)");
        next(2).forEach(c -> last.put(c.getKey(), c.getValue()));
        assertThat(last).containsOnly(Map.entry("5", new Customer("5", "fred", 35)), Map.entry("7", new Customer("7", "sue", 26)),
                Map.entry("9", new Customer("9", "victor", 23)), Map.entry("10", new Customer("10", "wanda", 40)),
                new AbstractMap.SimpleEntry<>("2", null));
    }

    /**
     * Makes Postgres invalidate the stopped capture's slot as a busy primary would: max_slot_wal_keep_size at 1 MB, WAL
     * written into a new segment, a checkpoint; set back however it ends, as the server is every scenario's.
     */
    private void invalidateSlot() {
        try (Connection admin = engines.postgres().connect(database); Statement statement = admin.createStatement()) {
            statement.execute("ALTER SYSTEM SET max_slot_wal_keep_size = '1MB'");
            statement.execute("SELECT pg_reload_conf()");
            try {
                await().atMost(WAIT).until(() -> {
                    statement.execute("CREATE TABLE IF NOT EXISTS wal_ballast AS SELECT g AS n, repeat('x', 500) AS filler"
                            + " FROM generate_series(1, 5000) g");
                    statement.execute("INSERT INTO wal_ballast SELECT g, repeat('y', 500) FROM generate_series(1, 5000) g");
                    statement.execute("SELECT pg_switch_wal()");
                    statement.execute("CHECKPOINT");
                    return count("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot() + "' AND wal_status = 'lost'") == 1;
                });
            } finally {
                statement.execute("ALTER SYSTEM RESET max_slot_wal_keep_size");
                statement.execute("SELECT pg_reload_conf()");
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** SLOT_FAILOVER: the slot Debezium creates is a Postgres 17 failover slot, which standbys synchronize. */
    @Test
    void withSlotFailoverTheSlotIsCreatedAsAFailoverSlot() {
        capture.start(settings.with("SLOT_FAILOVER", "true"));
        probe = new TopicProbe(engines.kafkaBootstrapServers(), topic);

        next(3);

        assertThat(count("SELECT count(*) FROM pg_replication_slots WHERE slot_name = '" + slot() + "' AND failover")).isEqualTo(1);
    }
}
