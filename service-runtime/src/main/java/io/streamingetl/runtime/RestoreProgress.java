package io.streamingetl.runtime;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StandbyUpdateListener;
import org.apache.kafka.streams.processor.StateRestoreListener;
import org.apache.kafka.streams.processor.TaskId;

/**
 * What Kafka Streams restores and what its standbys keep, per store, from its own listeners: a task's store restored
 * from its changelog (records restored of the changelog's offsets to read, done or not, how long it took) and each
 * standby's distance behind its changelog. Readiness, {@code /status} and {@code /metrics} read it, so how long a
 * moved task will take is seen rather than guessed. Kafka Streams calls it from its state updater thread.
 */
public final class RestoreProgress implements StateRestoreListener, StandbyUpdateListener {
    /** One changelog partition restored into an active task's store. */
    private static final class Restoration {
        final String store;
        final long toRestore;
        final long startNanos = System.nanoTime();
        volatile long restored;
        volatile long endNanos;

        Restoration(String store, long startingOffset, long endingOffset) {
            this.store = store;
            this.toRestore = Math.max(0, endingOffset - startingOffset);
        }

        boolean done() {
            return endNanos != 0;
        }
    }

    /** One changelog partition a standby task keeps its copy of the store from; behind -1 until its first batch. */
    private static final class Standby {
        final String store;
        volatile long behind = -1;

        Standby(String store) {
            this.store = store;
        }
    }

    private final Map<TopicPartition, Restoration> restorations = new ConcurrentHashMap<>();
    private final Map<TopicPartition, Standby> standbys = new ConcurrentHashMap<>();
    private final Set<String> stores = ConcurrentHashMap.newKeySet();
    private final Runnable onChange;
    private volatile MeterRegistry registry;

    /** @param onChange run when a restoration starts, ends or is given up (readiness says what is left) */
    public RestoreProgress(Runnable onChange) {
        this.onChange = onChange;
    }

    /** Gauges per store, each registered once the store is first restored or kept by a standby. */
    public void bindTo(MeterRegistry registry) {
        this.registry = registry;
        stores.forEach(this::registerGauges);
    }

    private void seen(String store) {
        if (stores.add(store) && registry != null) {
            registerGauges(store);
        }
    }

    private void registerGauges(String store) {
        gauge("pipeline_streams_restored_records", store, "Records restored into the store from its changelog, in its current or last restoration",
                r -> r.restored);
        gauge("pipeline_streams_restore_records", store, "Changelog offsets the store's current or last restoration had to read"
                + " (an upper bound of its records: transaction markers take offsets too)", r -> r.done() ? r.restored : r.toRestore);
        gauge("pipeline_streams_restoring_partitions", store, "Changelog partitions of the store still being restored",
                r -> r.done() ? 0 : 1);
        Gauge.builder("pipeline_streams_standby_records_behind", this, p -> p.standbys.values().stream()
                        .filter(s -> s.store.equals(store)).mapToLong(s -> Math.max(0, s.behind)).sum())
                .description("How far the store's standby copies are behind its changelog, in offsets").tag("store", store)
                .register(registry);
    }

    private void gauge(String name, String store, String description, ToDoubleFunction<Restoration> of) {
        Gauge.builder(name, this, p -> p.restorations.values().stream().filter(r -> r.store.equals(store)).mapToDouble(of).sum())
                .description(description).tag("store", store).register(registry);
    }

    /** A restoration of a store whose last one has ended starts a new one: what the store says is of that one alone. */
    @Override
    public void onRestoreStart(TopicPartition changelog, String store, long startingOffset, long endingOffset) {
        synchronized (restorations) {
            if (restorations.values().stream().filter(r -> r.store.equals(store)).allMatch(Restoration::done)) {
                restorations.values().removeIf(r -> r.store.equals(store));
            }
            restorations.put(changelog, new Restoration(store, startingOffset, endingOffset));
        }
        seen(store);
        onChange.run();
    }

    @Override
    public void onBatchRestored(TopicPartition changelog, String store, long batchEndOffset, long restored) {
        Restoration restoration = restorations.get(changelog);
        if (restoration != null) {
            restoration.restored += restored;
        }
    }

    @Override
    public void onRestoreEnd(TopicPartition changelog, String store, long totalRestored) {
        Restoration restoration = restorations.get(changelog);
        if (restoration != null) {
            restoration.restored = totalRestored;
            restoration.endNanos = System.nanoTime();
        }
        onChange.run();
    }

    /** The task moved away or closed before its store was restored: nothing of it is left to wait for here. */
    @Override
    public void onRestoreSuspended(TopicPartition changelog, String store, long totalRestored) {
        restorations.remove(changelog);
        onChange.run();
    }

    @Override
    public void onUpdateStart(TopicPartition changelog, String store, long startingOffset) {
        standbys.put(changelog, new Standby(store));
        seen(store);
    }

    @Override
    public void onBatchLoaded(TopicPartition changelog, String store, TaskId task, long batchEndOffset, long batchSize,
                              long currentEndOffset) {
        Standby standby = standbys.get(changelog);
        if (standby != null) {
            standby.behind = Math.max(0, currentEndOffset - batchEndOffset);
        }
    }

    /** Promoted to an active task (which restores what the standby had not read yet) or moved away. */
    @Override
    public void onUpdateSuspended(TopicPartition changelog, String store, long storeOffset, long currentEndOffset,
                                  SuspendReason reason) {
        standbys.remove(changelog);
    }

    /** Whether a store is still being restored from its changelog. */
    public boolean restoring() {
        return restorations.values().stream().anyMatch(r -> !r.done());
    }

    /** What is still being restored, as readiness says it: "" when nothing is. */
    public String summary() {
        List<String> parts = new ArrayList<>();
        perStore(restorations).forEach((store, of) -> {
            long left = of.stream().filter(r -> !r.done()).count();
            if (left > 0) {
                parts.add(String.format("%s %,d of %,d records (%d of %d partitions left)", store,
                        of.stream().mapToLong(r -> r.restored).sum(), of.stream().mapToLong(r -> r.done() ? r.restored : r.toRestore).sum(),
                        left, of.size()));
            }
        });
        return parts.isEmpty() ? "" : "restoring " + String.join(", ", parts);
    }

    /**
     * Per store: {@code restoration} (records restored of the offsets to read, partitions, done, seconds, of the current
     * or last restoration) and {@code standby} (partitions kept, those caught up with their changelogs as of their last
     * batch, offsets behind), for {@code /status}.
     */
    public Map<String, Object> status() {
        Map<String, Object> status = new TreeMap<>();
        perStore(restorations).forEach((store, of) -> {
            Map<String, Object> restoration = new LinkedHashMap<>();
            boolean done = of.stream().allMatch(Restoration::done);
            restoration.put("records_restored", of.stream().mapToLong(r -> r.restored).sum());
            restoration.put("records_to_restore", of.stream().mapToLong(r -> r.done() ? r.restored : r.toRestore).sum());
            restoration.put("partitions", of.size());
            restoration.put("partitions_done", of.stream().filter(Restoration::done).count());
            restoration.put("done", done);
            long start = of.stream().mapToLong(r -> r.startNanos).min().orElse(0);
            long end = done ? of.stream().mapToLong(r -> r.endNanos).max().orElse(start) : System.nanoTime();
            restoration.put("seconds", Math.round((end - start) / 1e8) / 10.0);
            entry(status, store).put("restoration", restoration);
        });
        // A standby with nothing loaded yet is not known to be caught up: its changelog may be empty, or not read yet.
        perStore(standbys).forEach((store, of) -> entry(status, store).put("standby", Map.of(
                "partitions", of.size(), "partitions_caught_up", of.stream().filter(s -> s.behind == 0).count(),
                "records_behind", of.stream().mapToLong(s -> Math.max(0, s.behind)).sum())));
        return status;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> entry(Map<String, Object> status, String store) {
        return (Map<String, Object>) status.computeIfAbsent(store, s -> new LinkedHashMap<String, Object>());
    }

    private static <T> Map<String, List<T>> perStore(Map<TopicPartition, T> byPartition) {
        Map<String, List<T>> perStore = new TreeMap<>();
        byPartition.values().forEach(value -> perStore.computeIfAbsent(value instanceof Restoration r ? r.store : ((Standby) value).store,
                s -> new ArrayList<>()).add(value));
        return perStore;
    }
}
