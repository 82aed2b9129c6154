package io.streamingetl.essink;

import io.streamingetl.runtime.Backoff;
import io.streamingetl.runtime.Health;
import io.streamingetl.search.BulkWriter.Outcome;
import io.streamingetl.search.BulkWriter.Write;
import java.io.IOException;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's loop: poll, gather a {@link Batch}, cut it, write it, commit it. A cut batch's first bulk request
 * goes out on the bulk thread while the next batch is read and decoded (one request under way, batches in order);
 * its positions are committed once the {@link BatchWriter} is done with it. While it waits before a retry, every
 * partition is paused and the consumer keeps polling, so the group keeps this member. Partitions taken away drop
 * everything not committed back to the last commit; the batch under way is committed before they go when the
 * engine took all of it at once, so their next owner does not write it again.
 */
final class SinkLoop implements Waiter {
    private static final Logger LOG = LoggerFactory.getLogger(SinkLoop.class);
    /** How long a poll may wait while a bulk request is under way, so its batch is committed soon after. */
    private static final long IN_FLIGHT_POLL_MS = 5;
    private static final long IDLE_POLL_MS = 500;

    private final Consumer<byte[], byte[]> consumer;
    private final Batch batch;
    private final ShippedOrderWrites decoder;
    private final BatchWriter writer;
    private final OffsetTracker offsets;
    private final SinkMetrics metrics;
    private final Health health;
    private final Backoff backoff;
    private final ExecutorService bulkSender;
    private final SinkControls controls;
    private InFlight inFlight;
    private boolean pausedByOperator;
    private boolean revoked;
    private boolean backingOff;

    /** A cut batch whose first bulk request is under way, with where the partitions stood when it was cut. */
    private record InFlight(List<Write<ConsumerRecord<byte[], byte[]>>> writes,
                            Future<Outcome<ConsumerRecord<byte[], byte[]>>> firstAttempt,
                            Map<TopicPartition, OffsetAndMetadata> positions) {
    }

    SinkLoop(Consumer<byte[], byte[]> consumer, Batch batch, ShippedOrderWrites decoder, BatchWriter writer,
             SinkMetrics metrics, Health health, Backoff backoff, ExecutorService bulkSender, SinkControls controls) {
        this.consumer = consumer;
        this.batch = batch;
        this.decoder = decoder;
        this.writer = writer;
        this.offsets = new OffsetTracker(consumer);
        this.metrics = metrics;
        this.health = health;
        this.backoff = backoff;
        this.bulkSender = bulkSender;
        this.controls = controls;
    }

    void subscribe(String topic) {
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                // A cooperative or KIP-848 rebalance may revoke nothing; then the batch is still ours.
                if (!partitions.isEmpty()) {
                    commitInFlightBeforeRevocation();
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

    /** Until {@code running} turns false; the batch under way is finished and what was written committed. */
    void run() {
        try {
            while (controls.running()) {
                step();
            }
        } finally {
            if (inFlight != null) {
                finishInFlight();
            }
            offsets.commitOnStop();
            controls.writing(false);
        }
    }

    /** One poll and what follows from it. */
    void step() {
        followOperatorPause();
        long now = System.currentTimeMillis();
        long wait = batch.millisUntilDue(now, IDLE_POLL_MS);
        for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(inFlight == null ? wait
                : Math.min(wait, IN_FLIGHT_POLL_MS)))) {
            batch.add(record, now);
            metrics.freshness.pending(record);
        }
        if (revoked) {
            abandon();
            return;
        }
        if (inFlight != null && inFlight.firstAttempt().isDone() && !finishInFlight()) {
            abandon();
            return;
        }
        if (batch.isEmpty()) {
            if (inFlight == null) {
                offsets.commitAsync(offsets.positions()); // a poll may pass only a transaction's commit marker
            }
        } else if (!pausedByOperator && batch.due(System.currentTimeMillis())) {
            List<Write<ConsumerRecord<byte[], byte[]>>> writes = decoder.of(batch.records(), this);
            if (writes == null || inFlight != null && !finishInFlight()) {
                abandon();
                return;
            }
            batch.clear();
            Map<TopicPartition, OffsetAndMetadata> positions = offsets.positions();
            inFlight = new InFlight(writes, bulkSender.submit(() -> writer.attempt(writes)), positions);
        }
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
        controls.writing(!paused || inFlight != null);
    }

    /**
     * Completes the batch under way (retries, dead letters) and commits its positions; false when its partitions
     * were taken away meanwhile or the sink is stopping. The records read since are then the only ones pending.
     */
    private boolean finishInFlight() {
        InFlight done = inFlight;
        inFlight = null;
        if (!writer.complete(done.writes(), done.firstAttempt(), this)) {
            return false;
        }
        offsets.commitAsync(done.positions());
        metrics.freshness.nothingPending();
        batch.records().forEach(metrics.freshness::pending);
        return true;
    }

    /**
     * Before its partitions go, the batch under way is waited for and, when the engine took all of it at the first
     * attempt, committed at once. Anything to retry or dead-letter would need polls, which a rebalance callback may
     * not make: such a batch is left uncommitted and written again by the next owner (harmless: versions).
     */
    private void commitInFlightBeforeRevocation() {
        if (inFlight == null) {
            return;
        }
        try {
            Outcome<ConsumerRecord<byte[], byte[]>> outcome = BatchWriter.outcomeOf(inFlight.firstAttempt());
            if (outcome.toRetry().isEmpty() && outcome.rejected().isEmpty()) {
                metrics.count(outcome);
                offsets.commitSync(inFlight.positions());
                inFlight = null;
            }
        } catch (IOException e) {
            // Written again by the partitions' next owner.
        }
    }

    /** Partitions revoked or a batch given up: everything not committed is read again from the last commit. */
    private void abandon() {
        if (inFlight != null) {
            inFlight.firstAttempt().cancel(false);
            inFlight = null;
        }
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
