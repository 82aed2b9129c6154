package io.streamingetl.essink;

import io.streamingetl.runtime.DeadLetterWriter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.streamingetl.contract.ShippedOrderDocument;
import io.streamingetl.contract.Topic;
import io.streamingetl.runtime.Backoff;
import io.streamingetl.runtime.DeadLetters;
import io.streamingetl.runtime.Health;
import io.streamingetl.runtime.SafeText;
import io.streamingetl.runtime.Service;
import io.streamingetl.runtime.Service.StillRunningException;
import io.streamingetl.runtime.TopicAdmin;
import io.streamingetl.runtime.Warmup;
import io.streamingetl.search.BulkWriter;
import io.streamingetl.search.SearchClient;
import io.streamingetl.search.SearchEngine;
import io.streamingetl.search.VersionedIndex;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * es-sink-service's work, on a thread of its own: reach the search engine and refuse one it does not write to,
 * make sure the index (the alias over {@code shipped_orders_v1}) is there, then consume {@code shipped_orders}
 * and write each record as its document ({@link SinkLoop}) until stopped. A batch's offsets are committed only
 * once the engine acknowledged every write in it (and the dead letters of what it rejected are in Kafka): while
 * it is unreachable or refuses the writer, nothing advances and the service reports not ready. Writes are
 * idempotent (id = order id) and versioned, so a replay or restart leaves exactly one, newest, document per order.
 */
public final class ShippedOrderSink implements Service {
    private static final Logger LOG = LoggerFactory.getLogger(ShippedOrderSink.class);
    private final EsSinkConfig config;
    private final Duration controlTimeout;
    private final Health health;
    private final SinkMetrics metrics;
    private final DeadLetters deadLetters;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> deadLetterProducer;
    private final Thread worker = new Thread(this::work, "es-sink");
    private final ExecutorService bulkSender;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final SinkControls controls = new SinkControls();
    private final KafkaClientMetrics consumerMetrics;
    private volatile Throwable failure;

    public ShippedOrderSink(EsSinkConfig config, MeterRegistry registry, Health health, Duration controlTimeout) {
        this.config = config;
        this.controlTimeout = controlTimeout;
        this.health = health;
        this.metrics = new SinkMetrics(registry);
        AtomicInteger bulkThreads = new AtomicInteger();
        this.bulkSender = Executors.newFixedThreadPool(config.bulkConcurrentRequests(),
                r -> new Thread(r, "es-sink-bulk-" + bulkThreads.incrementAndGet()));
        this.deadLetters = new DeadLetters(registry);
        this.consumer = new KafkaConsumer<>(config.kafka().with(Map.of(
                ConsumerConfig.GROUP_ID_CONFIG, config.groupId(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.bulkMaxActions())),
                new ByteArrayDeserializer(), new ByteArrayDeserializer());
        this.deadLetterProducer = new KafkaProducer<>(config.kafka().with(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)),
                new ByteArraySerializer(), new ByteArraySerializer());
        this.consumerMetrics = new KafkaClientMetrics(consumer);
        consumerMetrics.bindTo(registry);
    }

    @Override
    public List<Topic<String, ?>> topics() {
        return List.of(config.topic());
    }

    /** Creates the topic it reads when missing, then connects and writes on its own thread. */
    @Override
    public void start() throws InterruptedException {
        TopicAdmin.ensureTopics(config.kafka(), List.of(config.topic().name()), config.topicLayout(), health);
        health.notReady("connecting to the search engine at " + config.engine().url());
        worker.start();
    }

    /**
     * Holds new documents back: partitions paused, the group kept, nothing dead-lettered; returns once the batch
     * under way is written, so nothing is written after it answers. A batch still being written after the control
     * timeout (the engine refusing it) leaves the sink unpaused and says so: a pause never answers while writes go on.
     */
    @Override
    public void pause() {
        controls.pause();
        boolean stopped;
        try {
            stopped = controls.awaitNotWriting(controlTimeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stopped = false;
        }
        if (!stopped) {
            controls.resume();
            String why = health.notReadyReason();
            throw new StillRunningException("the batch under way is still being written after " + controlTimeout.toMillis()
                    + " ms" + (why == null ? "" : " (" + why + ")") + "; the sink goes on writing, not paused: ask again once"
                    + " the engine takes its writes, or give it longer (CONTROL_TIMEOUT)");
        }
    }

    @Override
    public void resume() {
        controls.resume();
    }

    @Override
    public Map<String, Object> status() {
        return metrics.status();
    }

    @Override
    public boolean awaitStop() throws InterruptedException {
        stopped.await();
        return failure != null;
    }

    private void work() {
        try (SearchClient client = SearchClient.connect(config.engine())) {
            SearchEngine engine = connect(client);
            if (engine == null) {
                return;
            }
            DeadLetterWriter deadLetterWriter = new DeadLetterWriter(deadLetterProducer, deadLetters);
            BulkWriter<ConsumerRecord<byte[], byte[]>> bulk = new BulkWriter<>(client, config.index());
            BatchWriter writer = new BatchWriter(bulk::write,
                    new RetryPolicy(config.maxRejectionsInARow()), deadLetterWriter, metrics, health, engine.name());
            ShippedOrderWrites decoder = new ShippedOrderWrites(config.topic(), deadLetterWriter);
            Warmup.run("es-sink-service", config.warmUpRecords(), health,
                    new SinkWarmup(config.topic(), decoder, bulk, config.bulkMaxActions()));
            SinkLoop loop = new SinkLoop(consumer, new Batch(config.bulkMaxActions(), config.bulkMaxBytes(),
                    config.bulkFlushInterval()), decoder, writer, metrics, health, config.retryBackoff(), bulkSender,
                    config.bulkConcurrentRequests(), controls);
            loop.subscribe(config.topic().name());
            health.ready();
            loop.run();
        } catch (WakeupException e) {
            if (controls.running()) {
                fail(e);
            }
        } catch (RuntimeException | Error e) {
            fail(e);
        } finally {
            bulkSender.shutdown();
            consumer.close(Duration.ofSeconds(5));
            deadLetterProducer.close(Duration.ofSeconds(5));
            consumerMetrics.close();
            stopped.countDown();
        }
    }

    private void fail(Throwable e) {
        failure = e;
        LOG.error("The sink failed: {}", SafeText.of(e.toString()), e);
        health.failed(e.toString());
    }

    /**
     * The engine, asked until it answers (not ready meanwhile, saying why), refused at once when the sink does not
     * write to it; then the index made ready to write. Null when the sink stopped meanwhile.
     */
    private SearchEngine connect(SearchClient client) {
        for (int failures = 0; controls.running(); failures++) {
            try {
                SearchEngine engine = client.detect().requireSupported();
                VersionedIndex.State index = VersionedIndex.ensure(client, config.index(), ShippedOrderDocument.mapping());
                if (!index.alias()) {
                    LOG.warn("{} is an index, not an alias: the sink writes to it and searches keep working; to rebuild it "
                            + "later without a gap, move it behind the alias {} (over {}_v1) with ./pipeline reindex",
                            config.index(), config.index(), config.index());
                }
                String about = engine + " at " + config.engine().url() + ", index " + config.index()
                        + (index.alias() ? " (alias of " + index.target() + ")" : "");
                health.about("writing " + config.topic() + " to " + about);
                LOG.info("Writing {} to {}", config.topic(), SafeText.of(about));
                return engine;
            } catch (SearchEngine.UnsupportedEngineException e) {
                throw e;
            } catch (Exception e) {
                String why = "the search engine at " + config.engine().url() + " cannot be reached or refuses the sink ("
                        + e.getClass().getSimpleName() + ": " + e.getMessage() + "): is it running, and are ES_URL and its"
                        + " credentials right?";
                health.notReady(why);
                if (Backoff.worthSaying(failures)) {
                    LOG.warn("{}; asking again in {} ms", health.notReadyReason(), config.retryBackoff().delay(failures).toMillis());
                }
                if (!sleep(config.retryBackoff().delay(failures))) {
                    return null;
                }
            }
        }
        return null;
    }

    /** A wait before the group is joined, cut short by {@link #close()}; false when the sink stops. */
    private boolean sleep(Duration duration) {
        long until = System.currentTimeMillis() + duration.toMillis();
        try {
            while (controls.running() && System.currentTimeMillis() < until) {
                Thread.sleep(Math.min(100, Math.max(1, until - System.currentTimeMillis())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return controls.running();
    }

    /** Stops after the write under way (its offsets committed when the engine took it) and waits for that. */
    @Override
    public void close() {
        controls.stop();
        if (!worker.isAlive()) {
            if (stopped.getCount() > 0) {
                // Never started: the clients it made are all there is to release.
                consumer.close(Duration.ZERO);
                deadLetterProducer.close(Duration.ZERO);
                stopped.countDown();
            }
            return;
        }
        consumer.wakeup();
        try {
            // The batch under way may take a whole request timeout beyond the control timeout to give up.
            worker.join(controlTimeout.plus(config.engine().requestTimeout()).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (worker.isAlive()) {
            throw new StillRunningException("the sink's thread is still writing a batch after " + controlTimeout.toMillis()
                    + " ms (" + health.notReadyReason() + "); it was told to stop and will once the engine answers");
        }
    }

    @Override
    public String toString() {
        return config.toString();
    }
}
