package io.streamingetl.essink;

import io.streamingetl.search.BulkWriter.Outcome;
import io.streamingetl.search.BulkWriter.Write;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The sink's cut batches whose bulk requests are under way, oldest first: at most {@code capacity} at a time
 * ({@code BULK_CONCURRENT_REQUESTS}). A batch's positions (where every partition's reading stood when it was cut) cover
 * every batch cut before it, so they are committed only in the order cut, once every batch up to it is done: the
 * committed offsets never pass the oldest batch not yet fully written. Only the oldest is ever finished (its retries,
 * dead letters, then its commit); one cut later may be acknowledged sooner and waits its turn.
 * <p>
 * A batch that writes a document a batch under way also writes is sent only once that batch (and every one before
 * it) is finished, so each document's writes reach the engine in the order they were read, retries included: versions
 * would refuse an older write anyway, but counted as stale (an alert), and a write without a version has only its
 * order to go by.
 */
final class InFlightBatches {
    /** Sends a batch's first bulk request on a thread of its own: {@link BatchWriter#attempt} on the bulk threads. */
    @FunctionalInterface
    interface Sender {
        Future<Outcome<ConsumerRecord<byte[], byte[]>>> send(List<Write<ConsumerRecord<byte[], byte[]>>> writes);
    }

    /** A cut batch: its writes, its first attempt, the positions it commits, and the documents it writes. */
    private record Cut(List<Write<ConsumerRecord<byte[], byte[]>>> writes,
                       Future<Outcome<ConsumerRecord<byte[], byte[]>>> firstAttempt,
                       Map<TopicPartition, OffsetAndMetadata> positions, Set<String> ids) {
    }

    private final int capacity;
    private final Sender sender;
    private final BatchWriter writer;
    private final OffsetTracker offsets;
    private final SinkMetrics metrics;
    private final Deque<Cut> cuts = new ArrayDeque<>();
    /** The oldest batch while it is being finished (taken off {@link #cuts}): nothing after it may be committed meanwhile. */
    private Cut finishing;

    InFlightBatches(int capacity, Sender sender, BatchWriter writer, OffsetTracker offsets, SinkMetrics metrics) {
        if (capacity < 1) {
            throw new IllegalArgumentException("at least one batch in flight, not " + capacity);
        }
        this.capacity = capacity;
        this.sender = sender;
        this.writer = writer;
        this.offsets = offsets;
        this.metrics = metrics;
    }

    boolean isEmpty() {
        return cuts.isEmpty() && finishing == null;
    }

    int size() {
        return cuts.size();
    }

    /** As many batches under way as may be: the next is sent once the oldest is finished. */
    boolean full() {
        return cuts.size() >= capacity;
    }

    /** Whether the oldest batch's first attempt has come back, so finishing it waits for no request. */
    boolean oldestAnswered() {
        return !cuts.isEmpty() && cuts.peekFirst().firstAttempt().isDone();
    }

    /**
     * Sends {@code writes}, cut with {@code positions}: first finishes, oldest first, the batches it must wait for (the
     * oldest when {@link #full}; every batch up to the last that writes one of its documents). False when one of those
     * could not be finished ({@code waiter} gave up: partitions revoked, the sink stopping): then nothing is sent, and
     * everything not committed is to be read again ({@link #abandon}).
     */
    boolean send(List<Write<ConsumerRecord<byte[], byte[]>>> writes, Map<TopicPartition, OffsetAndMetadata> positions,
                 Waiter waiter) {
        Set<String> ids = new HashSet<>(writes.size() * 2);
        writes.forEach(write -> ids.add(write.id()));
        for (int finish = mustFinishBefore(ids); finish > 0; finish--) {
            if (!finishOldest(waiter)) {
                return false;
            }
        }
        cuts.addLast(new Cut(writes, sender.send(writes), positions, ids));
        return true;
    }

    /** How many of the oldest batches must be finished before a batch writing {@code ids} may go. */
    private int mustFinishBefore(Set<String> ids) {
        int count = full() ? cuts.size() - capacity + 1 : 0;
        int index = 0;
        for (Cut cut : cuts) {
            index++;
            if (index > count && !disjoint(cut.ids(), ids)) {
                count = index;
            }
        }
        return count;
    }

    private static boolean disjoint(Set<String> a, Set<String> b) {
        Set<String> smaller = a.size() <= b.size() ? a : b;
        Set<String> larger = smaller == a ? b : a;
        for (String id : smaller) {
            if (larger.contains(id)) {
                return false;
            }
        }
        return true;
    }

    /** Finishes, oldest first, the batches whose first attempt has come back; false when one could not be finished. */
    boolean finishAnswered(Waiter waiter) {
        while (oldestAnswered()) {
            if (!finishOldest(waiter)) {
                return false;
            }
        }
        return true;
    }

    /** Finishes every batch, oldest first (a stop, an operator's pause); false when one could not be finished. */
    boolean finishAll(Waiter waiter) {
        while (!cuts.isEmpty()) {
            if (!finishOldest(waiter)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The oldest batch written to the end (retries, dead letters: {@link BatchWriter#complete}), then its positions
     * committed; false when it could not be, and then it is dropped with every later one unsent to the engine again.
     */
    private boolean finishOldest(Waiter waiter) {
        finishing = cuts.pollFirst();
        try {
            if (!writer.complete(finishing.writes(), finishing.firstAttempt(), waiter)) {
                return false;
            }
            offsets.commitAsync(finishing.positions());
            return true;
        } finally {
            finishing = null;
        }
    }

    /**
     * Before partitions go (a rebalance callback, which may not poll, so may not retry or wait for dead letters): the
     * oldest batches the engine took whole at their first attempt, waited for in order, are counted and their positions
     * committed at once, so the partitions' next owner does not write them again. The first batch that is not whole, and
     * every one after it, stays uncommitted (written again by the next owner, harmless: versions). Nothing is committed
     * while the oldest batch is being finished: it is not written yet.
     */
    void commitWrittenBeforeRevocation() {
        if (finishing != null) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> written = null;
        while (!cuts.isEmpty()) {
            Outcome<ConsumerRecord<byte[], byte[]>> outcome;
            try {
                outcome = BatchWriter.outcomeOf(cuts.peekFirst().firstAttempt());
            } catch (IOException | RuntimeException e) {
                break; // written again by the partitions' next owner
            }
            if (!outcome.toRetry().isEmpty() || !outcome.rejected().isEmpty()) {
                break;
            }
            metrics.count(outcome);
            written = cuts.pollFirst().positions();
        }
        if (written != null) {
            offsets.commitSync(written);
        }
    }

    /** Every batch given up, its request cancelled if not yet sent: nothing more is committed from them. */
    void abandon() {
        cuts.forEach(cut -> cut.firstAttempt().cancel(false));
        cuts.clear();
    }

    /** The records of every batch under way, for the index's freshness (the oldest change still held). */
    void forEachRecord(Consumer<ConsumerRecord<byte[], byte[]>> action) {
        cuts.forEach(cut -> cut.writes().forEach(write -> action.accept(write.source())));
    }
}
