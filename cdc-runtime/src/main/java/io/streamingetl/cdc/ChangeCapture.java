package io.streamingetl.cdc;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.streamingetl.contract.Topic;
import io.streamingetl.runtime.Health;
import io.streamingetl.runtime.Service;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.TopicAdmin;
import io.streamingetl.runtime.Warmup;
import io.streamingetl.runtime.Service.StillRunningException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A CDC service: a Debezium embedded engine whose changes reach Kafka before they count as processed
 * ({@link ChangePublisher}); the engine then stores its source offsets in Kafka, so a crash can repeat changes,
 * never lose one. A pause stops the engine cleanly (offsets stored, the replication slot or resume token kept)
 * and a resume starts a new one from those offsets. An engine is replaced only once its thread has ended, so two
 * never read one slot: one that does not end within the control timeout is kept, and the pause says so. Before each
 * engine starts, and while it runs where the source can tell, capture asks whether the source still has the changes after
 * the stored position ({@link CaptureHistory}); when it has lost them it stops and says so, or takes a new snapshot
 * ({@link OnHistoryLost}).
 */
public final class ChangeCapture implements Service {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeCapture.class);
    /** The envelope field the unwrap transform copies into a header ({@code add.headers}), as {@code __source.ts_ms}. */
    public static final String SOURCE_TIME_FIELD = "source.ts_ms";
    /** Debezium's heartbeat records go to topics named so; the routers drop them. */
    public static final String HEARTBEAT_TOPIC_PREFIX = "__debezium-heartbeat";

    private final int warmUpRecords;
    private final String service;
    private final CdcSettings settings;
    private final Source source;
    private final Producer<byte[], byte[]> producer;
    private final ChangePublisher publisher;
    private final Health health;
    private final CaptureReadiness readiness;
    private final SnapshotProgress snapshotProgress;
    private final IncrementalSnapshots snapshots;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Duration controlTimeout;
    private final CaptureEngine engine;
    private final HistoryLoss historyLoss;
    private final LostDeletes lostDeletes;
    private volatile Throwable failure;
    /** How long the check of the stored position may take before capture starts without it (Debezium checks too). */
    private static final Duration HISTORY_CHECK_TIMEOUT = Duration.ofSeconds(30);

    ChangeCapture(String service, CdcSettings settings, Source source, MeterRegistry registry, Health health,
                  Duration controlTimeout, int warmUpRecords, OnHistoryLost onHistoryLost) {
        this.service = service;
        this.warmUpRecords = warmUpRecords;
        this.historyLoss = new HistoryLoss(service, onHistoryLost);
        this.controlTimeout = controlTimeout;
        this.engine = new CaptureEngine(service, controlTimeout, this::makeEngine);
        this.snapshotProgress = new SnapshotProgress(settings.snapshotRequestTimeout(), Clock.systemUTC());
        this.settings = settings;
        this.source = source;
        this.health = health;
        this.readiness = new CaptureReadiness(health);
        this.producer = new KafkaProducer<>(settings.kafka().with(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.CLIENT_ID_CONFIG, service + "-producer")),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.publisher = new ChangePublisher(service, source.router(), settings.maxChangeBytes(), producer, registry);
        this.lostDeletes = new LostDeletes(service, settings.kafka(), producer, publisher::streamedBatches);
        readiness.onSnapshotCompleted(lostDeletes::snapshotEnded);
        new DebeziumMetrics().bindTo(registry);
        source.monitor().bindTo(registry);
        snapshotProgress.bindTo(registry);
        historyLoss.bindTo(registry);
        this.snapshots = new IncrementalSnapshots(service, source.logicalName(), source.snapshots(), snapshotProgress);
    }

    /**
     * What a CDC service captures: its connector's properties, how changes become records, the topics they
     * go to, a summary to log, what it says of itself, what it re-captures on demand, and whether it still has the
     * changes after the stored position.
     */
    public record Source(Properties connectorProperties, ChangeRouter router, List<Topic<String, ?>> topics,
                         Object description, SourceMonitor monitor, SnapshotSource snapshots, CaptureHistory history) {
        /** The connector's logical name ({@code topic.prefix}): the key of its signals. */
        String logicalName() {
            return connectorProperties.getProperty("topic.prefix");
        }
    }

    /** What a source says of itself beside Debezium's metrics (a Postgres slot's retained WAL): bound at start, closed at close. */
    public interface SourceMonitor extends MeterBinder, AutoCloseable {
        SourceMonitor NONE = new SourceMonitor() {
            public void bindTo(MeterRegistry registry) {
            }

            public void close() {
            }
        };

        @Override
        void close();
    }

    /**
     * The factory of a CDC service whose source {@code sourceFromSettings} reads (validated first); an incremental
     * snapshot is asked for with {@code POST /snapshot?collection=...&where=...} (the operator's token).
     */
    public static Service.Factory factory(Function<Settings, Source> sourceFromSettings) {
        return (settings, runtime) -> {
            Source source = sourceFromSettings.apply(settings);
            ChangeCapture capture = new ChangeCapture(runtime.service(), CdcSettings.from(settings, runtime.service()), source,
                    runtime.registry(), runtime.health(), runtime.controlTimeout(), Warmup.records(settings),
                    OnHistoryLost.from(settings));
            runtime.operatorRoute("/snapshot", Set.of("POST"), capture.snapshots::request);
            return capture;
        };
    }

    @Override
    public List<Topic<String, ?>> topics() {
        return source.topics();
    }

    /** Creates the topics the changes go to when missing (not left to auto-creation), then starts capturing. */
    @Override
    public void start() throws InterruptedException {
        TopicAdmin.ensureTopics(settings.kafka(), source.topics().stream().map(Topic::name).toList(), settings.topicLayout(),
                health);
        settings.kafkaSignals().prepare(settings.kafka(), settings.topicLayout().replicationFactor(), settings.engineName());
        SnapshotNotifications.register(source.logicalName(), snapshotProgress, readiness);
        source.snapshots().prepare();
        Warmup.run(service, warmUpRecords, health, i -> {
            for (SourceRecord change : source.router().warmUpChanges(i)) {
                publisher.mapUncounted(change);
            }
        });
        // Only a running engine's source can lose what it reads; a stopped capture is checked again as it starts.
        source.history().watch(why -> {
            if (engine.running()) {
                lostWhileRunning(why);
            }
        });
        startEngine();
    }

    /**
     * Starts an engine from the stored offsets, unless the source no longer has the changes after them: then capture
     * stops, saying so (fail), or the source is readied for the new snapshot Debezium's when_needed mode takes (resnapshot).
     */
    private void startEngine() {
        Optional<String> lost = lostHistory();
        if (lost.isPresent()) {
            historyLoss.found(lost.get());
            if (historyLoss.stopped()) {
                health.notReady(historyLoss.readiness());
                return;
            }
            prepareResnapshot();
        }
        engine.start();
    }

    /** Readies the source and notes the topics' ends, so rows deleted in the lost history are tombstoned after it. */
    private void prepareResnapshot() {
        source.history().prepareResnapshot();
        readiness.snapshotNote(historyLoss.snapshotNote());
        try {
            lostDeletes.snapshotBegins(source.history().topicsDeletedByTombstone());
        } catch (RuntimeException e) {
            LOG.error("{}: cannot note where the topics end before the new snapshot ({}): rows deleted in the lost history"
                    + " will not be tombstoned; compare the source with the topics by hand", service, e.toString());
        }
    }

    /** Whether the source has lost what follows the stored position; empty too when that cannot be told now. */
    private Optional<String> lostHistory() {
        try {
            return StoredOffsets.latest(settings.kafka(), settings.offsetsTopic(), settings.engineName(), HISTORY_CHECK_TIMEOUT)
                    .flatMap(source.history()::lostAfter);
        } catch (RuntimeException e) {
            LOG.warn("{}: cannot tell whether the source still has the changes after the stored position ({}); Debezium checks"
                    + " it as it starts", service, e.getMessage());
            return Optional.empty();
        }
    }

    /** The source lost the history while capture ran: the engine is stopped, then capture stops or re-snapshots. */
    private void lostWhileRunning(String why) {
        historyLoss.found(why);
        afterEngineEnded(() -> {
            if (!historyLoss.stopped()) {
                prepareResnapshot();
                engine.start();
            }
        });
    }

    /**
     * Stops the engine (if it has not ended by itself) on a thread of its own, as the engine's own thread may be the one
     * asking, then says a stopped capture's reason, or runs {@code then}.
     */
    private void afterEngineEnded(Runnable then) {
        Thread thread = new Thread(() -> {
            if (!engine.stop(false)) {
                LOG.warn("{}: the engine has not stopped within {} ms; capture goes on once it has", service, controlTimeout.toMillis());
                while (!engine.stop(false)) {
                    LOG.warn("{}: still waiting for the engine to stop", service);
                }
            }
            if (historyLoss.stopped()) {
                health.notReady(historyLoss.readiness());
            } else {
                then.run();
            }
        }, service + "-history-lost");
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether an engine's failure is the source's lost history, as the source or Debezium's own check says it. */
    private Optional<String> historyLostIn(Throwable error) {
        for (Throwable cause = error; cause != null; cause = cause.getCause()) {
            Optional<String> said = source.history().explains(cause);
            if (said.isPresent()) {
                return said;
            }
            String message = cause.getMessage();
            if (message != null && message.contains("but this is no longer available on the server")) {
                // Debezium's words name its whole offset context: the source's own check says why, where it can.
                return Optional.of(lostHistory().orElse("Debezium found the stored position gone from the source ("
                        + (message.length() > 300 ? message.substring(0, 300) + "..." : message) + ")"));
            }
        }
        return Optional.empty();
    }

    /** A new Debezium engine from the stored offsets, reporting to the capture's readiness and health. */
    private DebeziumEngine<RecordChangeEvent<SourceRecord>> makeEngine(Runnable onEnd) {
        readiness.engineStarting();
        Properties properties = settings.engineProperties();
        properties.putAll(source.connectorProperties());
        properties.putAll(settings.debeziumPassThrough());
        return DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(properties)
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void pollingStarted() {
                        LOG.info("{}: capturing changes", service);
                        readiness.pollingStarted();
                    }

                    @Override
                    public void pollingStopped() {
                        readiness.pollingStopped();
                    }
                })
                .using((success, message, error) -> {
                    Optional<String> lost = success ? Optional.empty() : historyLostIn(error);
                    if (lost.isPresent()) {
                        // Not a crash: a restart would find the same; capture stops saying so, or takes a new snapshot.
                        lostWhileRunning(lost.get());
                    } else if (!success) {
                        failure = error == null ? new IllegalStateException(message) : error;
                        LOG.error("{}: the Debezium engine stopped: {}", service, message, error);
                        health.failed(message);
                        stopped.countDown();
                    } else {
                        LOG.info("{}: the Debezium engine stopped", service);
                    }
                    onEnd.run();
                })
                .notifying(publisher)
                .build();
    }

    /**
     * Capture stops reading: the engine closed, its offsets stored, the slot (and the WAL it holds) kept. An engine
     * that does not end in time is not paused: capture goes on, with a new engine once the old one has ended.
     */
    @Override
    public void pause() {
        if (!engine.stop(true)) {
            throw new StillRunningException("its capture engine has not stopped within " + controlTimeout.toMillis() + " ms"
                    + " (a batch still waiting for Kafka, say); it is not paused: it was not replaced, and capture goes on"
                    + " with a new engine once that one has ended. Ask again later, or give it longer (CONTROL_TIMEOUT)");
        }
        LOG.info("{}: paused; the source keeps what capture has not read (a Postgres slot retains WAL meanwhile)", service);
    }

    /** A new engine from the stored offsets; none while the last one still runs (it goes on, or is being replaced). */
    @Override
    public void resume() {
        if (stopped.getCount() > 0 && !engine.running()) {
            startEngine();
        }
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        long last = publisher.lastSourceMillis();
        status.put("last_change_captured", last == 0 ? null : Instant.ofEpochMilli(last).toString());
        status.put("snapshot", snapshotProgress.status());
        status.put("history_lost", historyLoss.status());
        return status;
    }

    @Override
    public boolean awaitStop() throws InterruptedException {
        stopped.await();
        return failure != null;
    }

    /** Stops capture; an engine that does not end in time is said (nothing else closed: its producer is still in use). */
    @Override
    public void close() {
        if (!engine.close()) {
            throw new StillRunningException("its capture engine has not stopped within " + controlTimeout.toMillis()
                    + " ms (a batch still waiting for Kafka, say); it stops once that batch is done: ask again then");
        }
        SnapshotNotifications.unregister(source.logicalName(), snapshotProgress);
        source.monitor().close();
        producer.close();
        stopped.countDown();
    }

    @Override
    public String toString() {
        return source.description() + ", offsets in " + settings.offsetsTopic();
    }
}
