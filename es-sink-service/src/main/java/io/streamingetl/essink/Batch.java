package io.streamingetl.essink;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The records read since the last cut: cut when it holds {@code maxActions} records or {@code maxBytes}, or is old
 * enough. With a flush interval of 0 (the default) it is old enough as soon as a poll has added to it: the sink writes
 * what its consumer had waiting, so batches grow only under load, while a request is under way, and a lone change is
 * not held back.
 */
final class Batch {
    private final int maxActions;
    private final long maxBytes;
    private final long flushIntervalMillis;
    private final List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
    private long bytes;
    private long flushAt = Long.MAX_VALUE;

    Batch(int maxActions, long maxBytes, Duration flushInterval) {
        this.maxActions = maxActions;
        this.maxBytes = maxBytes;
        this.flushIntervalMillis = flushInterval.toMillis();
    }

    void add(ConsumerRecord<byte[], byte[]> record, long nowMillis) {
        if (records.isEmpty()) {
            flushAt = nowMillis + flushIntervalMillis;
        }
        records.add(record);
        bytes += Math.max(0, record.serializedValueSize()) + Math.max(0, record.serializedKeySize());
    }

    boolean isEmpty() {
        return records.isEmpty();
    }

    boolean due(long nowMillis) {
        return !records.isEmpty() && (full() || nowMillis >= flushAt);
    }

    /** At its limit of records or bytes: cut it now, whatever else waits. */
    boolean full() {
        return records.size() >= maxActions || bytes >= maxBytes;
    }

    /** How long a poll may wait before the batch is due: {@code idleMillis} when it is empty. */
    long millisUntilDue(long nowMillis, long idleMillis) {
        return records.isEmpty() ? idleMillis : Math.max(0, flushAt - nowMillis);
    }

    List<ConsumerRecord<byte[], byte[]>> records() {
        return records;
    }

    /** Its records, leaving it empty. */
    List<ConsumerRecord<byte[], byte[]>> cut() {
        List<ConsumerRecord<byte[], byte[]>> cut = new ArrayList<>(records);
        clear();
        return cut;
    }

    void clear() {
        records.clear();
        bytes = 0;
        flushAt = Long.MAX_VALUE;
    }
}
