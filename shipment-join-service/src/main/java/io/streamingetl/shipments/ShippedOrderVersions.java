package io.streamingetl.shipments;

import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.ChangeHeaders;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;
import org.apache.kafka.streams.state.TimestampedKeyValueStore;
import org.apache.kafka.streams.state.ValueAndTimestamp;

/**
 * Gives each shipped order the version its document is written at ({@link ChangeHeaders#CHANGE_VERSION}): the
 * version of the change that triggered it (its position in MongoDB's log), raised above the order's previous
 * shipped order when needed. Versions of one order therefore only grow, whichever side arrives last: a shipment
 * committed before an order update but reaching the join after it (the repartition hop) still supersedes the
 * pair written before, and the several pairs one change completes are ordered as they are written. What
 * travels in the header survives replays, new partitions and index rebuilds, where Kafka offsets do not.
 *
 * <p>An order's previous version is kept as long as the join can still pair its records (window plus grace of
 * stream time); after that a new pair can only come from a newer change, whose position is higher anyway.
 */
final class ShippedOrderVersions implements FixedKeyProcessor<String, ShippedOrder, ShippedOrder> {
    static final String STORE = "shipped-order-versions";
    private final long retentionMs;
    /**
     * A quarter of the retention in stream time: each clean-up reads the whole store, so hourly ones cost a
     * replay of history (weeks of event time in minutes) a full scan every few records; the store holds at most
     * a quarter more than it must.
     */
    private final Duration forgetEvery;
    private FixedKeyProcessorContext<String, ShippedOrder> context;
    private TimestampedKeyValueStore<String, Long> versions;

    ShippedOrderVersions(Duration retention) {
        this.retentionMs = retention.toMillis();
        Duration quarter = retention.dividedBy(4);
        this.forgetEvery = quarter.toMillis() > 0 ? quarter : Duration.ofMillis(1);
    }

    static StoreBuilder<TimestampedKeyValueStore<String, Long>> store() {
        return Stores.timestampedKeyValueStoreBuilder(Stores.persistentTimestampedKeyValueStore(STORE),
                Serdes.String(), Serdes.Long());
    }

    @Override
    public void init(FixedKeyProcessorContext<String, ShippedOrder> context) {
        this.context = context;
        this.versions = context.getStateStore(STORE);
        context.schedule(forgetEvery, PunctuationType.STREAM_TIME, this::forgetBefore);
    }

    @Override
    public void process(FixedKeyRecord<String, ShippedOrder> record) {
        ValueAndTimestamp<Long> previous = versions.get(record.key());
        long version = Math.max(ChangeHeaders.version(record.headers()), previous == null ? 1 : previous.value() + 1);
        versions.put(record.key(), ValueAndTimestamp.make(version, record.timestamp()));
        // The join hands every pair one change completes the same headers: each gets a copy of its own.
        RecordHeaders headers = new RecordHeaders(record.headers().toArray());
        ChangeHeaders.setVersion(headers, version);
        context.forward(record.withHeaders(headers));
    }

    /** Forgets the orders whose last shipped order is further behind stream time than the join can still reach. */
    private void forgetBefore(long streamTime) {
        List<String> forgotten = new ArrayList<>();
        try (KeyValueIterator<String, ValueAndTimestamp<Long>> all = versions.all()) {
            while (all.hasNext()) {
                KeyValue<String, ValueAndTimestamp<Long>> entry = all.next();
                if (entry.value.timestamp() < streamTime - retentionMs) {
                    forgotten.add(entry.key);
                }
            }
        }
        forgotten.forEach(versions::delete);
    }
}
