package io.streamingetl.essink;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sink's offsets, as Kafka Connect's sink tasks keep them: a batch's positions (where each partition's
 * reading stood when it was cut) are committed only once the engine acknowledged the batch. Positions rather
 * than the last record's offset + 1, so a partition ending with a transaction's commit marker is committed past
 * it (lag 0, not 1). A commit the group refuses (its partitions moving) costs only writing some documents again,
 * which their versions make harmless.
 */
final class OffsetTracker {
    private static final Logger LOG = LoggerFactory.getLogger(OffsetTracker.class);
    private static final Duration SYNC_TIMEOUT = Duration.ofSeconds(5);

    private final Consumer<byte[], byte[]> consumer;
    /** Where each partition stood when the last acknowledged batch was cut: what a clean stop commits. */
    private final Map<TopicPartition, OffsetAndMetadata> written = new HashMap<>();

    OffsetTracker(Consumer<byte[], byte[]> consumer) {
        this.consumer = consumer;
    }

    /** Where each assigned partition's reading stands now: past every record polled so far. */
    Map<TopicPartition, OffsetAndMetadata> positions() {
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

    /** Commits, without waiting, the positions of an acknowledged batch (those of partitions still ours). */
    void commitAsync(Map<TopicPartition, OffsetAndMetadata> positions) {
        Map<TopicPartition, OffsetAndMetadata> mine = new HashMap<>(positions);
        mine.keySet().retainAll(consumer.assignment());
        if (mine.isEmpty() || mine.equals(written)) {
            return;
        }
        written.clear();
        written.putAll(mine);
        consumer.commitAsync(mine, (offsets, e) -> {
            if (e != null) {
                LOG.warn("A commit of written batches was refused ({}); the next one covers them, or their partitions'"
                        + " next owner writes them again", e.toString());
            }
        });
    }

    /** Commits and waits, as a rebalance callback must before its partitions go; false when it did not succeed. */
    boolean commitSync(Map<TopicPartition, OffsetAndMetadata> positions) {
        Map<TopicPartition, OffsetAndMetadata> mine = new HashMap<>(positions);
        mine.keySet().retainAll(consumer.assignment());
        written.putAll(mine);
        try {
            consumer.commitSync(mine, SYNC_TIMEOUT);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Committing the last written batch before a rebalance failed ({}); the partitions' next owner"
                    + " writes it again", e.toString());
            return false;
        }
    }

    /** Partitions taken away: nothing of theirs is committed by this instance any more. */
    void forget(Collection<TopicPartition> revoked) {
        written.keySet().removeAll(revoked);
    }

    /** Every assigned partition read again from its last commit (the beginning when none). */
    void rewindToCommitted() {
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

    /** A clean stop commits what was written, so a restart starts after it. */
    void commitOnStop() {
        if (written.isEmpty()) {
            return;
        }
        try {
            written.keySet().retainAll(consumer.assignment());
            consumer.commitSync(written, SYNC_TIMEOUT);
        } catch (RuntimeException e) {
            LOG.warn("Committing the written batches on stop failed ({}); a restart writes them again", e.toString());
        }
    }
}
