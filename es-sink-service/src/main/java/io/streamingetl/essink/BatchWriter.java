package io.streamingetl.essink;

import io.streamingetl.runtime.DeadLetterWriter;
import io.streamingetl.runtime.Backoff;
import io.streamingetl.runtime.Health;
import io.streamingetl.runtime.SafeText;
import io.streamingetl.search.BulkWriter;
import io.streamingetl.search.BulkWriter.Outcome;
import io.streamingetl.search.BulkWriter.Write;
import io.streamingetl.search.DocumentRejectedException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one cut batch until every document in it is written, stale, or a dead letter: the first attempt
 * (already under way on the bulk thread), then, for what remains, attempts after the {@link Waiter}'s back-off,
 * as the {@link RetryPolicy} decides. An engine that cannot be reached, or refuses the whole request, is waited
 * for too. Only once the dead letters are in Kafka is the batch done, and the sink ready again.
 */
final class BatchWriter {
    private static final Logger LOG = LoggerFactory.getLogger(BatchWriter.class);
    /** One bulk request of writes: {@link BulkWriter#write}. */
    @FunctionalInterface
    interface Bulk {
        Outcome<ConsumerRecord<byte[], byte[]>> write(List<Write<ConsumerRecord<byte[], byte[]>>> writes) throws IOException;
    }

    private final Bulk bulk;
    private final RetryPolicy policy;
    private final DeadLetterWriter deadLetters;
    private final SinkMetrics metrics;
    private final Health health;
    private final String engine;

    BatchWriter(Bulk bulk, RetryPolicy policy, DeadLetterWriter deadLetters,
                SinkMetrics metrics, Health health, String engine) {
        this.bulk = bulk;
        this.policy = policy;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.health = health;
        this.engine = engine;
    }

    /** One bulk request, timed: what the bulk thread runs for a batch's first attempt. */
    Outcome<ConsumerRecord<byte[], byte[]>> attempt(List<Write<ConsumerRecord<byte[], byte[]>>> writes) throws IOException {
        try {
            return metrics.bulkLatency.recordCallable(() -> bulk.write(writes));
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** True once the batch is done; false when {@code waiter} gave up (partitions revoked, the sink stopping). */
    boolean complete(List<Write<ConsumerRecord<byte[], byte[]>>> writes,
                     Future<Outcome<ConsumerRecord<byte[], byte[]>>> firstAttempt, Waiter waiter) {
        List<Write<ConsumerRecord<byte[], byte[]>>> pending = writes;
        for (int failures = 0; !pending.isEmpty(); ) {
            Outcome<ConsumerRecord<byte[], byte[]>> outcome;
            try {
                outcome = failures == 0 && firstAttempt != null ? outcomeOf(firstAttempt) : attempt(pending);
            } catch (IOException e) {
                String why = e instanceof BulkWriter.RefusedException ? engine + " refused writing " + pending.size()
                        + " documents (" + e.getMessage() + ")" : engine + " unavailable while writing " + pending.size()
                        + " documents (" + e.getClass().getSimpleName() + ": " + e.getMessage() + ")";
                if (!waiter.waitBeforeRetry(why, failures++)) {
                    return false;
                }
                continue;
            }
            metrics.count(outcome);
            RetryPolicy.Decision<ConsumerRecord<byte[], byte[]>> decision = policy.decide(outcome, engine);
            decision.toDeadLetter().forEach(r -> DocumentRejectedException.deadLetter(deadLetters, r, engine));
            pending = decision.toRetry();
            if (!pending.isEmpty() && outcome.retryReason() != null && Backoff.worthSaying(failures)) {
                // Readiness names the error's type only; the log, the operator's, keeps what the engine said.
                LOG.warn("{} said: {}", engine, SafeText.of(outcome.retryReason()));
            }
            if (!pending.isEmpty() && !waiter.waitBeforeRetry(decision.reason(), failures++)) {
                return false;
            }
        }
        deadLetters.awaitAll();
        health.ready();
        return true;
    }

    /** The first attempt's outcome; its failure as the IOException to wait on. */
    static Outcome<ConsumerRecord<byte[], byte[]>> outcomeOf(Future<Outcome<ConsumerRecord<byte[], byte[]>>> attempt)
            throws IOException {
        try {
            return attempt.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
