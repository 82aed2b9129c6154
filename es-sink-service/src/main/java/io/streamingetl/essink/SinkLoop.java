package io.streamingetl.essink;

import io.streamingetl.runtime.Backoff;
import io.streamingetl.runtime.Health;
import io.streamingetl.search.BulkWriter.Write;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutorService;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's loop: poll, gather a {@link Batch}, cut it, write it, commit it. A cut batch's first bulk request
 * goes out on a bulk thread while the next batch is read and decoded; up to {@code BULK_CONCURRENT_REQUESTS} are under
 * way at once ({@link InFlightBatches}), and while as many are, the next batch goes on growing up to its limits. Batches
 * are finished and their positions committed in the order cut, once the {@link BatchWriter} is done with each. While
 * it waits before a retry, every partition is paused and the consumer keeps polling, so the group keeps this member.
 * Partitions taken away drop everything not committed back to the last commit; the oldest batches under way are
 * committed before they go when the engine took all of them at once, so their next owner does not write them again.
 */
final class SinkLoop implements Waiter {
    private static final Logger LOG = LoggerFactory.getLogger(SinkLoop.class);
    /** How long a poll may wait while a bulk request is under way, so its batch is committed soon after. */
    private static final long IN_FLIGHT_POLL_MS = 5;
    private static final long IDLE_POLL_MS = 500;

    private final Consumer<byte[], byte[]> consumer;
    private final Batch batch;
    private final ShippedOrderWrites decoder;
    private final OffsetTracker offsets;
    private final SinkMetrics metrics;
    private final Health health;
    private final Backoff backoff;
    private final SinkControls controls;
    private final InFlightBatches inFlight;
    private boolean pausedByOperator;
    private boolean revoked;
    private boolean backingOff;

    /**
     * @param concurrentRequests how many batches' bulk requests may be under way at once, each on a thread of
     *                           {@code bulkSender}, which must have as many
     */
    SinkLoop(Consumer<byte[], byte[]> consumer, Batch batch, ShippedOrderWrites decoder, BatchWriter writer,
             SinkMetrics metrics, Health health, Backoff backoff, ExecutorService bulkSender, int concurrentRequests,
             SinkControls controls) {
        this.consumer = consumer;
        this.batch = batch;
        this.decoder = decoder;
        this.offsets = new OffsetTracker(consumer);
        this.metrics = metrics;
        this.health = health;
        this.backoff = backoff;
        this.controls = controls;
        this.inFlight = new InFlightBatches(concurrentRequests, writes -> bulkSender.submit(() -> writer.attempt(writes)),
                writer, offsets, metrics);
    }

    void subscribe(String topic) {
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // A cooperative or KIP-848 rebalance may revoke nothing; then the batch is still ours.
                if (!partitions.isEmpty()) {
                    inFlight.commitWrittenBeforeRevocation();
                    revoked = true;
                    offsets.forget(partitions);
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
                if (backingOff || controls.paused()) {
                    consumer.pause(partitions);
                }
            }
        });
    }

    /** Until {@code running} turns false; the batches under way are finished and what was written committed. */
    void run() {
        try {
            while (controls.running()) {
                step();
            }
        } finally {
            inFlight.finishAll(this);
            offsets.commitOnStop();
            controls.writing(false);
        }
    }

    /** One poll and what follows from it. */
    void step() {
        followOperatorPause();
        long now = System.currentTimeMillis();
        long wait = batch.millisUntilDue(now, IDLE_POLL_MS);
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(inFlight.isEmpty() ? wait
                : Math.min(wait, IN_FLIGHT_POLL_MS)))) {
            batch.add(record, now);
            metrics.freshness.pending(record);
        }
        if (revoked) {
            abandon();
            return;
        }
        if (inFlight.oldestAnswered()) {
            if (!inFlight.finishAnswered(this)) {
                abandon();
                return;
            }
            stillPending();
        }
        if (batch.isEmpty()) {
            if (inFlight.isEmpty()) {
                offsets.commitAsync(offsets.positions()); // a poll may pass only a transaction's commit marker
            }
        } else if (!pausedByOperator && batch.due(System.currentTimeMillis()) && (!inFlight.full() || batch.full())) {
            // While as many requests as may be are under way, the batch grows until one is answered or it is full.
            List<Write<ConsumerRecord<byte[], byte[]>>> writes = decoder.of(batch.records(), this);
            if (writes == null) {
                abandon();
                return;
            }
            int before = inFlight.size();
            batch.clear();
            if (!inFlight.send(writes, offsets.positions(), this)) {
                abandon();
                return;
            }
            if (inFlight.size() <= before) {
                stillPending();
            }
        }
    }

    /** Some batches were written: the changes still held are those of the batches under way and of the batch growing. */
    private void stillPending() {
        metrics.freshness.nothingPending();
        inFlight.forEachRecord(metrics.freshness::pending);
        batch.records().forEach(metrics.freshness::pending);
    }

    /**
     * While an operator has the sink paused, every partition (those assigned since too) is paused and the consumer
     * keeps polling, so the group keeps this member; the batch under way is finished, no new one is cut.
     */
    private void followOperatorPause() {
        boolean paused = controls.paused();
        if (paused) {
            consumer.pause(consumer.assignment());
        } else if (pausedByOperator) {
            consumer.resume(consumer.assignment());
            LOG.info("Resumed by an operator: writing again");
        }
        pausedByOperator = paused;
        controls.writing(!paused || !inFlight.isEmpty());
    }

    /** Partitions revoked or a batch given up: everything not committed is read again from the last commit. */
    private void abandon() {
        inFlight.abandon();
        revoked = false;
        offsets.rewindToCommitted();
        metrics.freshness.nothingPending();
        batch.clear();
    }

    /**
     * Not ready for {@code reason} (said in the log at the first failure, then at every power of two), then the
     * back-off, polling with every partition paused so the group keeps this member.
     */
    @Override
    public boolean waitBeforeRetry(String reason, int failures) {
        metrics.retries.increment();
        health.notReady(reason);
        Duration delay = backoff.delay(failures);
        if (Backoff.worthSaying(failures)) {
            LOG.warn("{}; retrying in {} ms (attempt {})", health.notReadyReason(), delay.toMillis(), failures + 1);
        }
        consumer.pause(consumer.assignment());
        backingOff = true;
        try {
            long until = System.currentTimeMillis() + delay.toMillis();
            while (controls.running() && System.currentTimeMillis() < until) {
                consumer.poll(Duration.ofMillis(Math.min(100, Math.max(1, until - System.currentTimeMillis()))));
                if (revoked) {
                    return false;
                }
            }
            return controls.running();
        } finally {
            backingOff = false;
            consumer.resume(consumer.assignment());
        }
    }
}
