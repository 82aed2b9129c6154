package io.streamingetl.benchmark;

import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.harness.ServiceProcess;
import io.streamingetl.localstack.PostgresEndpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What a backfill takes while it runs, read every {@link #EVERY_MS} ms from outside the services: each service's heap
 * (its own metrics), the WAL the replication slot retains (Postgres's {@code pg_replication_slots}), the join's state
 * directory on disk, this JVM's heap (the engines and the MongoDB stand-in's documents), the machine's load, and how
 * far each stage has come (the records on each topic and the documents in the index), kept as a timeline.
 */
final class BackfillMonitor implements AutoCloseable {
    static final long EVERY_MS = 5_000;

    /** One reading: seconds since the pipeline started, the records per topic, the backfilled documents in the index. */
    record Sample(double seconds, Map<String, Long> topics, long indexed, long liveWritten) {
    }

    private final LocalPipeline pipeline;
    private final PostgresEndpoint postgres;
    private final Path joinState;
    private final LongSupplier indexed;
    private final LongSupplier liveWritten;
    private final long startNanos;
    private final Map<String, Long> maxHeapMb = new ConcurrentHashMap<>();
    private final AtomicLong maxWalBytes = new AtomicLong();
    private final AtomicLong maxJoinStateBytes = new AtomicLong();
    private final AtomicLong maxOwnHeapBytes = new AtomicLong();
    private volatile double maxLoadAverage;
    private final List<Sample> timeline = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;
    private volatile String walError;

    BackfillMonitor(LocalPipeline pipeline, PostgresEndpoint postgres, Path joinState, LongSupplier indexed,
                    LongSupplier liveWritten, long startNanos) {
        this.pipeline = pipeline;
        this.postgres = postgres;
        this.joinState = joinState;
        this.indexed = indexed;
        this.liveWritten = liveWritten;
        this.startNanos = startNanos;
        this.thread = new Thread(this::watch, "backfill-monitor");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    private void watch() {
        while (running.get()) {
            long began = System.nanoTime();
            read();
            long rest = EVERY_MS - (System.nanoTime() - began) / 1_000_000;
            try {
                Thread.sleep(Math.max(100, rest));
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** One reading of everything; also taken once more at the end. */
    synchronized void read() {
        for (ServiceProcess service : pipeline.services()) {
            try {
                maxHeapMb.merge(service.name(), BenchmarkClients.heapMegabytes(service), Math::max);
            } catch (RuntimeException e) {
                // A scrape that failed (the service busy): the next one counts.
            }
        }
        maxWalBytes.accumulateAndGet(walRetained(), Math::max);
        maxJoinStateBytes.accumulateAndGet(StateSizes.onDisk(joinState), Math::max);
        Runtime runtime = Runtime.getRuntime();
        maxOwnHeapBytes.accumulateAndGet(runtime.totalMemory() - runtime.freeMemory(), Math::max);
        maxLoadAverage = Math.max(maxLoadAverage, loadAverage());
        Map<String, Long> counts = new LinkedHashMap<>();
        pipeline.topics().forEach(topic -> counts.put(topic, pipeline.count(topic)));
        long documents;
        try {
            documents = indexed.getAsLong();
        } catch (RuntimeException e) {
            documents = timeline.isEmpty() ? 0 : timeline.get(timeline.size() - 1).indexed();
        }
        timeline.add(new Sample(Math.round((System.nanoTime() - startNanos) / 1e8) / 10.0, counts, documents, liveWritten.getAsLong()));
    }

    /** The WAL the pipeline's replication slots hold back from being recycled, in bytes (0 when none is there yet). */
    private long walRetained() {
        try (Connection c = postgres.connect("postgres"); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COALESCE(max(pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn)), 0)"
                     + " FROM pg_replication_slots")) {
            return r.next() ? r.getLong(1) : 0;
        } catch (SQLException e) {
            walError = e.getMessage();
            return 0;
        }
    }

    static double loadAverage() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    Map<String, Long> maxHeapMb() {
        return new LinkedHashMap<>(maxHeapMb);
    }

    long maxWalBytes() {
        return maxWalBytes.get();
    }

    /** Why the WAL could not be read, when it could not. */
    String walError() {
        return walError;
    }

    long maxJoinStateBytes() {
        return maxJoinStateBytes.get();
    }

    long maxOwnHeapBytes() {
        return maxOwnHeapBytes.get();
    }

    double maxLoadAverage() {
        return maxLoadAverage;
    }

    synchronized List<Sample> timeline() {
        return new ArrayList<>(timeline);
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.interrupt();
        thread.join(10_000);
    }
}
