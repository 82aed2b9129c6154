package io.streamingetl.essink;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.SchemaRegistry;
import io.streamingetl.essink.BulkWriter.Write;
import io.streamingetl.runtime.ChangeHeaders;
import io.streamingetl.runtime.DeadLetters;
import io.streamingetl.runtime.Health;
import io.streamingetl.runtime.Service;
import io.streamingetl.runtime.TopicAdmin;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code shipped_orders} and writes each record as its document, in bulk, batched by count, bytes
 * and time. A batch's offsets are committed only once Elasticsearch acknowledged every write in it (and the
 * dead letters of what it rejected are in Kafka): while it is unreachable or overloaded the batch is retried
 * with capped exponential back-off, nothing advances, and the service reports not ready. Writes are
 * idempotent (id = order id), so a replay or restart leaves exactly one document per order. It works on
 * a thread of its own, from connecting to Elasticsearch on; a batch's bulk request goes out on a second one
 * while the next batch is read and decoded (one request under way at a time, batches in order).
 */
public final class ShippedOrderSink implements Service {
    private static final Logger LOG = LoggerFactory.getLogger(ShippedOrderSink.class);
    /** How long a poll may wait while a bulk request is under way, so its batch is committed soon after. */
    private static final Duration IN_FLIGHT_POLL = Duration.ofMillis(5);

    private final EsSinkConfig config;
    private final Thread worker = new Thread(this::work, "es-sink");
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Throwable failure;
    private ElasticsearchClient client;
    private BulkWriter writer;
    private final KafkaConsumer<byte[], byte[]> consumer;
    private final KafkaProducer<byte[], byte[]> deadLetterProducer;
    private final DeadLetters deadLetters;
    private final Health health;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Counter indexed;
    private final Counter deleted;
    private final Counter retries;
    private final Counter stale;
    private int rejectionsInARow;
    private final Timer bulkLatency;
    private final IndexFreshness freshness;
    private boolean batchRevoked;
    private boolean backingOff;
    /** Where each partition stood when the last batch was acknowledged: what a clean stop commits. */
    private final Map<TopicPartition, OffsetAndMetadata> written = new HashMap<>();
    /**
     * The batch whose bulk request is under way while the next one is read and decoded, so the sink's work and
     * Elasticsearch's overlap; with where the partitions stood when it was cut, committed once it is written.
     */
    private InFlight inFlight;
    private final ExecutorService bulkSender = Executors.newSingleThreadExecutor(r -> new Thread(r, "es-sink-bulk"));

    private record InFlight(List<Write> writes, Future<BulkWriter.Outcome> firstAttempt,
                            Map<TopicPartition, OffsetAndMetadata> positions) {
    }

    public ShippedOrderSink(EsSinkConfig config, MeterRegistry registry, Health health) {
        this.config = config;
        this.health = health;
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
        new KafkaClientMetrics(consumer).bindTo(registry);
        this.indexed = Counter.builder("pipeline_es_documents_indexed").register(registry);
        this.deleted = Counter.builder("pipeline_es_documents_deleted").register(registry);
        this.retries = Counter.builder("pipeline_es_bulk_retries").register(registry);
        this.stale = Counter.builder("pipeline_es_stale_writes")
                .description("Writes older than the indexed version of their document, skipped").register(registry);
        this.bulkLatency = Timer.builder("pipeline_es_bulk_latency").publishPercentiles(0.5, 0.99).register(registry);
        this.freshness = new IndexFreshness(registry);
    }

    /** Creates the topic it reads when missing, then connects and writes on its own thread. */
    @Override
    public void start() throws InterruptedException {
        TopicAdmin.ensureTopics(config.kafka(), List.of(config.topic().name()), config.topicLayout(), health);
        health.notReady("connecting to Elasticsearch at " + config.url());
        worker.start();
    }

    @Override
    public boolean awaitStop() throws InterruptedException {
        stopped.await();
        return failure != null;
    }

    private void work() {
        try {
            run();
        } catch (RuntimeException | Error e) {
            failure = e;
            LOG.error("The sink failed: {}", e.toString(), e);
            health.failed(e.toString());
        } finally {
            stopped.countDown();
        }
    }

    /** Until {@link #close()}: connects, creates the index if missing, then consumes and writes. */
    private void run() {
        try {
            client = retryUntilDone("connecting to " + config.url() + " (is it running, and is ES_URL right?)",
                    () -> ElasticsearchClients.create(config));
            if (client == null) {
                return;
            }
            writer = new BulkWriter(client, config.index());
            retryUntilDone("creating index " + config.index(), () -> {
                ShippedOrderIndex.createIfMissing(client, config.index());
                return true;
            });
            consumer.subscribe(List.of(config.topic().name()), new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                    // A cooperative or KIP-848 rebalance may revoke nothing; then the batch is still ours.
                    if (!partitions.isEmpty()) {
                        finishInFlightBeforeRevocation();
                        batchRevoked = true;
                        written.keySet().removeAll(partitions);
                        LOG.info("Partitions revoked: {}", partitions);
                    }
                }

                /**
                 * Under a cooperative or KIP-848 rebalance partitions arrive without the others being revoked, so
                 * during a back-off they would be fetched unpaused, and what they returned dropped: they wait too.
                 */
                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                    if (!partitions.isEmpty()) {
                        LOG.info("Partitions assigned: {}{}", partitions, backingOff ? " (paused: backing off)" : "");
                    }
                    if (backingOff) {
                        consumer.pause(partitions);
                    }
                }
            });
            health.ready();
            LOG.info("Writing {} into {} index {}", config.topic(), config.url(), config.index());
            List<ConsumerRecord<byte[], byte[]>> batch = new ArrayList<>();
            long batchBytes = 0;
            long flushAt = Long.MAX_VALUE;
            while (running.get()) {
                long wait = batch.isEmpty() ? 500 : Math.max(0, flushAt - System.currentTimeMillis());
                if (inFlight != null) {
                    wait = Math.min(wait, IN_FLIGHT_POLL.toMillis());
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(wait))) {
                    if (batch.isEmpty()) {
                        flushAt = System.currentTimeMillis() + config.bulkFlushInterval().toMillis();
                    }
                    batch.add(record);
                    freshness.pending(record);
                    batchBytes += record.serializedValueSize() + Math.max(0, record.serializedKeySize());
                }
                if (batchRevoked) {
                    abandonInFlight();
                    rewindToCommitted();
                    freshness.nothingPending();
                    batch.clear();
                    batchBytes = 0;
                    continue;
                }
                if (inFlight != null && inFlight.firstAttempt().isDone() && !finishInFlight(batch)) {
                    rewindToCommitted();
                    freshness.nothingPending();
                    batch.clear();
                    batchBytes = 0;
                    continue;
                }
                if (batch.isEmpty()) {
                    if (inFlight == null) {
                        commitWritten(positions()); // a poll may pass only a transaction's commit marker
                    }
                } else if (batch.size() >= config.bulkMaxActions() || batchBytes >= config.bulkMaxBytes()
                        || System.currentTimeMillis() >= flushAt) {
                    List<Write> writes = writesOf(batch);
                    if (writes == null || inFlight != null && !finishInFlight(batch)) {
                        abandonInFlight();
                        rewindToCommitted();
                        freshness.nothingPending();
                    } else {
                        send(writes, positions());
                    }
                    batch.clear();
                    batchBytes = 0;
                }
            }
        } catch (WakeupException e) {
            if (running.get()) {
                throw e;
            }
        } finally {
            if (inFlight != null) {
                finishInFlight(List.of());
            }
            bulkSender.shutdown();
            commitOnStop();
            consumer.close(Duration.ofSeconds(5));
            deadLetterProducer.close(Duration.ofSeconds(5));
            if (client != null) {
                try {
                    client._transport().close();
                } catch (IOException e) {
                    LOG.warn("Closing the Elasticsearch client: {}", e.toString());
                }
            }
        }
    }

    /**
     * Writes a batch; false when the partitions were taken away meanwhile (another instance writes them).
     * What Elasticsearch refuses for every document alike is retried until it clears; what it rejects for
     * the document itself is dead-lettered, unless more than {@code MAX_REJECTIONS_IN_A_ROW} documents were
     * rejected in a row with none written: then the sink holds and says so, as a broken mapping would
     * otherwise empty the topic into its dead-letter topic.
     */
    private boolean write(List<Write> writes, Future<BulkWriter.Outcome> firstAttempt) {
        List<Future<RecordMetadata>> deadLettersSent = new ArrayList<>();
        List<Write> pending = writes;
        for (int retry = 0; !pending.isEmpty(); retry++) {
            List<Write> attempt = pending;
            BulkWriter.Outcome outcome = retry == 0 ? outcomeOf(firstAttempt) : null;
            if (outcome == null) {
                outcome = retryUntilDone("writing " + attempt.size() + " documents",
                        () -> bulkLatency.recordCallable(() -> writer.write(attempt)));
            }
            if (outcome == null) {
                return false;
            }
            outcome.written().forEach(w -> {
                (w.document() == null ? deleted : indexed).increment();
                freshness.indexed(w.source());
            });
            stale.increment(outcome.stale());
            rejectionsInARow = (outcome.written().isEmpty() && outcome.stale() == 0 ? rejectionsInARow : 0)
                    + outcome.rejected().size();
            List<Write> toRetry = new ArrayList<>(outcome.toRetry());
            String reason = "Elasticsearch refused " + toRetry.size() + " documents for a reason that is not theirs ("
                    + outcome.retryReason() + ")";
            if (rejectionsInARow > config.maxRejectionsInARow()) {
                BulkWriter.Rejection last = outcome.rejected().get(outcome.rejected().size() - 1);
                outcome.rejected().forEach(r -> toRetry.add(r.write()));
                reason = rejectionsInARow + " documents rejected in a row, none written (last: " + last.status() + " "
                        + last.reason() + "): a broken mapping? Holding them; fix the index, or raise "
                        + EsSinkConfig.MAX_REJECTIONS_IN_A_ROW;
            } else {
                for (BulkWriter.Rejection rejection : outcome.rejected()) {
                    ConsumerRecord<byte[], byte[]> r = rejection.write().source();
                    deadLettersSent.add(deadLetterProducer.send(deadLetters.record("index", r,
                            new DocumentRejectedException(rejection.status(), rejection.reason()))));
                }
            }
            pending = toRetry;
            if (!pending.isEmpty() && !waitBeforeRetry(reason, retry)) {
                return false;
            }
        }
        awaitAll(deadLettersSent);
        health.ready();
        return true;
    }

    /** Sends a cut batch's first bulk request on the bulk thread; the consumer goes on reading meanwhile. */
    private void send(List<Write> writes, Map<TopicPartition, OffsetAndMetadata> positions) {
        inFlight = new InFlight(writes, bulkSender.submit(() -> bulkLatency.recordCallable(() -> writer.write(writes))),
                positions);
    }

    /**
     * Waits for the batch under way, retries (backing off) what Elasticsearch refused, dead-letters what it
     * rejected, and commits where the partitions stood when it was cut; false when its partitions were taken
     * away meanwhile or the sink is closing. Then only {@code stillHeld}, the records read since, are pending.
     */
    private boolean finishInFlight(List<ConsumerRecord<byte[], byte[]>> stillHeld) {
        InFlight batch = inFlight;
        inFlight = null;
        if (!write(batch.writes(), batch.firstAttempt())) {
            return false;
        }
        commitWritten(batch.positions());
        freshness.nothingPending();
        stillHeld.forEach(freshness::pending);
        return true;
    }

    /**
     * Before its partitions go, the batch under way is waited for and, when Elasticsearch took all of it at the
     * first attempt, committed at once, so their next owner does not write it again. Anything to retry or
     * dead-letter would need polls, which a rebalance callback may not make: such a batch is left uncommitted
     * and written again by the next owner (harmless: versions).
     */
    private void finishInFlightBeforeRevocation() {
        if (inFlight == null) {
            return;
        }
        BulkWriter.Outcome outcome = outcomeOf(inFlight.firstAttempt());
        if (outcome != null && outcome.toRetry().isEmpty() && outcome.rejected().isEmpty()) {
            InFlight batch = inFlight;
            inFlight = null;
            write(batch.writes(), batch.firstAttempt());
            batch.positions().keySet().retainAll(consumer.assignment());
            written.putAll(batch.positions());
            try {
                consumer.commitSync(batch.positions(), Duration.ofSeconds(5));
            } catch (RuntimeException e) {
                LOG.warn("Committing the last written batch before a rebalance failed ({}); the partitions' next owner"
                        + " writes it again", e.toString());
            }
        }
    }

    /** Revoked partitions: the batch under way may still land (harmlessly), but is not committed. */
    private void abandonInFlight() {
        if (inFlight != null) {
            outcomeOf(inFlight.firstAttempt());
            inFlight = null;
        }
    }

    /** The first attempt's outcome, or null when it failed as a whole (it is then retried with back-off). */
    private static BulkWriter.Outcome outcomeOf(Future<BulkWriter.Outcome> attempt) {
        try {
            return attempt.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException e) {
            return null;
        }
    }

    /**
     * Undecodable records become dead letters at once; the last record of each order wins within a batch. While
     * the schema registry cannot be asked for a value's schema the sink waits as for Elasticsearch; null when
     * the partitions were revoked or the sink is closing meanwhile.
     */
    private List<Write> writesOf(List<ConsumerRecord<byte[], byte[]>> batch) {
        Map<String, Write> byId = new LinkedHashMap<>();
        List<Future<RecordMetadata>> deadLettersSent = new ArrayList<>();
        int registryFailures = 0;
        for (int i = 0; i < batch.size(); i++) {
            ConsumerRecord<byte[], byte[]> record = batch.get(i);
            try {
                if (record.key() == null) {
                    throw new IllegalArgumentException("a shipped order needs its order id as key");
                }
                String id = config.topic().deserializeKey(record.key());
                ShippedOrder order = config.topic().deserializeValue(record.value());
                byId.remove(id);
                byId.put(id, new Write(record, id, ChangeHeaders.version(record.headers()),
                        order == null ? null : ShippedOrderDocument.of(order)));
            } catch (SchemaRegistry.UnavailableException e) {
                if (!waitBeforeRetry("waiting for the schema registry: " + e.getMessage(), registryFailures++)) {
                    return null;
                }
                i--;
            } catch (RuntimeException e) {
                deadLettersSent.add(deadLetterProducer.send(deadLetters.record("deserialize", record, e)));
            }
        }
        awaitAll(deadLettersSent);
        return new ArrayList<>(byId.values());
    }

    @FunctionalInterface
    private interface Attempt<T> {
        T call() throws Exception;
    }

    /**
     * Calls {@code attempt} until it succeeds, backing off exponentially (capped) while Elasticsearch is
     * unreachable or failing, and staying in the consumer group meanwhile. Null when the partitions were
     * revoked or the sink is closing.
     */
    private <T> T retryUntilDone(String what, Attempt<T> attempt) {
        for (int failures = 0; ; failures++) {
            try {
                return attempt.call();
            } catch (Exception e) {
                if (!running.get()) {
                    return null;
                }
                if (!waitBeforeRetry("Elasticsearch unavailable while " + what + " (" + e.getClass().getSimpleName()
                        + ": " + e.getMessage() + ")", failures)) {
                    return null;
                }
            }
        }
    }

    /**
     * Not ready for {@code reason}, said in the log at the first failure and then at every power of two, and
     * a capped exponential back-off; false when the partitions were revoked or the sink is closing meanwhile.
     */
    private boolean waitBeforeRetry(String reason, int failures) {
        retries.increment();
        health.notReady(reason);
        Duration backoff = backoff(failures);
        if (failures == 0 || Integer.bitCount(failures) == 1) {
            LOG.warn("{}; retrying in {} ms (attempt {})", reason, backoff.toMillis(), failures + 1);
        }
        return pause(backoff);
    }

    private Duration backoff(int failures) {
        long initial = config.retryInitialBackoff().toMillis();
        long capped = Math.min(config.retryMaxBackoff().toMillis(), initial << Math.min(failures, 20));
        return Duration.ofMillis(capped);
    }

    /** Waits while polling with every partition paused, so the group keeps this member; false if revoked. */
    private boolean pause(Duration duration) {
        if (consumer.subscription().isEmpty()) {
            return sleep(duration);
        }
        Collection<TopicPartition> assigned = consumer.assignment();
        consumer.pause(assigned);
        backingOff = true;
        try {
            long until = System.currentTimeMillis() + duration.toMillis();
            batchRevoked = false;
            while (running.get() && System.currentTimeMillis() < until) {
                consumer.poll(Duration.ofMillis(Math.min(100, Math.max(1, until - System.currentTimeMillis()))));
                if (batchRevoked) {
                    return false;
                }
            }
            return running.get();
        } finally {
            backingOff = false;
            consumer.resume(consumer.assignment());
        }
    }

    /** Before joining the group there is nothing to keep: a plain wait, cut short by {@link #close()}. */
    private boolean sleep(Duration duration) {
        long until = System.currentTimeMillis() + duration.toMillis();
        try {
            while (running.get() && System.currentTimeMillis() < until) {
                Thread.sleep(Math.min(100, Math.max(1, until - System.currentTimeMillis())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        return running.get();
    }

    /**
     * Commits, without waiting, where the partitions stood when an acknowledged batch was cut (or stand now, when
     * nothing is pending): every record before that is in the batch or an earlier one (a batch holds all that the
     * polls since the last one returned), and it is past a transaction's commit marker, where the last record's
     * offset + 1 would leave a lag of 1 behind the join's transactions. A commit the group refuses (its
     * partitions moving) costs only writing some documents again, which their versions make harmless; the next
     * commit covers it otherwise.
     */
    private void commitWritten(Map<TopicPartition, OffsetAndMetadata> positions) {
        positions.keySet().retainAll(consumer.assignment());
        if (positions.equals(written)) {
            return;
        }
        written.clear();
        written.putAll(positions);
        consumer.commitAsync(positions, (offsets, e) -> {
            if (e != null) {
                LOG.warn("A commit of written batches was refused ({}); the next one covers them, or their partitions'"
                        + " next owner writes them again", e.toString());
            }
        });
    }

    /** Where each assigned partition's reading stands now: past every record polled so far. */
    private Map<TopicPartition, OffsetAndMetadata> positions() {
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        for (TopicPartition partition : consumer.assignment()) {
            try {
                positions.put(partition, new OffsetAndMetadata(consumer.position(partition, Duration.ZERO)));
            } catch (TimeoutException notFetchedYet) {
                // Assigned but not read from yet: nothing of it was written, so nothing to commit.
            }
        }
        return positions;
    }

    /** A clean stop commits what was written, so a restart starts after it. */
    private void commitOnStop() {
        if (written.isEmpty()) {
            return;
        }
        try {
            written.keySet().retainAll(consumer.assignment());
            consumer.commitSync(written, Duration.ofSeconds(5));
        } catch (RuntimeException e) {
            LOG.warn("Committing the written batches on stop failed ({}); a restart writes them again", e.toString());
        }
    }

    private void rewindToCommitted() {
        batchRevoked = false;
        Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(consumer.assignment());
        for (TopicPartition partition : consumer.assignment()) {
            OffsetAndMetadata offset = committed.get(partition);
            if (offset != null) {
                consumer.seek(partition, offset);
            } else {
                consumer.seekToBeginning(List.of(partition));
            }
        }
    }

    private static void awaitAll(List<Future<RecordMetadata>> sends) {
        for (Future<RecordMetadata> send : sends) {
            try {
                send.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while writing a dead letter", e);
            } catch (ExecutionException e) {
                throw new IllegalStateException("Kafka did not take a dead letter: " + e.getCause(), e.getCause());
            }
        }
    }

    /** Stops after the write under way (its offsets committed when Elasticsearch took it) and waits for that. */
    @Override
    public void close() {
        running.set(false);
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
            worker.join(Duration.ofSeconds(35).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return config.toString();
    }

    /** Elasticsearch refused a document for itself (a 4xx other than 429). */
    static final class DocumentRejectedException extends Exception {
        DocumentRejectedException(int status, String reason) {
            super("Elasticsearch rejected the document (" + status + "): " + reason);
        }
    }
}
