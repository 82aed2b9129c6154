package io.streamingetl.cdc;

import io.debezium.pipeline.notification.Notification;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An incremental snapshot's progress, from Debezium's own notifications ({@link SnapshotNotifications}) and its
 * snapshot metrics: the collections asked for and done, the rows read of those counted at the request, and how it
 * ended. On {@code /metrics} and in {@code /status}, where {@code ./pipeline snapshot} and the demo read it. A request
 * Debezium has not acknowledged (no notification) within the request timeout is failed, saying why, so the next one
 * is accepted rather than refused for ever behind it.
 */
final class SnapshotProgress {
    private final Duration requestTimeout;
    private final Clock clock;
    private String failure;
    private String id;
    private List<String> collections = List.of();
    private final List<String> done = new ArrayList<>();
    private long rowsTotal = -1;
    private long rowsOfDoneCollections;
    private String state = "none";
    private String current;
    private Instant startedAt;
    private Instant endedAt;

    SnapshotProgress(Duration requestTimeout, Clock clock) {
        this.requestTimeout = requestTimeout;
        this.clock = clock;
    }

    void bindTo(MeterRegistry registry) {
        Gauge.builder("pipeline_cdc_incremental_snapshot_running", this, p -> p.running() ? 1 : 0)
                .description("1 while an incremental snapshot (./pipeline snapshot) runs").register(registry);
        Gauge.builder("pipeline_cdc_incremental_snapshot_collections_total", this, p -> p.collectionsTotal())
                .description("Tables (collections) the last incremental snapshot reads").register(registry);
        Gauge.builder("pipeline_cdc_incremental_snapshot_collections_done", this, p -> p.collectionsDone())
                .description("Tables (collections) it has read").register(registry);
        Gauge.builder("pipeline_cdc_incremental_snapshot_rows_total", this, p -> p.rowsTotal())
                .description("Rows (documents) it reads, as counted when it was asked for; -1 when unknown").register(registry);
        Gauge.builder("pipeline_cdc_incremental_snapshot_rows_scanned", this, p -> p.rowsScanned())
                .description("Rows (documents) it has read").register(registry);
    }

    /** A snapshot asked for: its signal's id, its collections and the rows they hold. */
    synchronized void requested(String signalId, List<String> dataCollections, long rows) {
        id = signalId;
        collections = List.copyOf(dataCollections);
        done.clear();
        rowsTotal = rows;
        rowsOfDoneCollections = 0;
        state = "requested";
        current = null;
        failure = null;
        startedAt = clock.instant();
        endedAt = null;
    }

    /** A request still unacknowledged after the request timeout: failed, with what to check. */
    private void failIfUnacknowledged() {
        if (state.equals("requested") && clock.instant().isAfter(startedAt.plus(requestTimeout))) {
            state = "failed";
            endedAt = clock.instant();
            failure = "Debezium did not acknowledge the snapshot signal within " + requestTimeout.toMillis() + " ms"
                    + " (SNAPSHOT_REQUEST_TIMEOUT): is capture running (not paused), and its signal channel enabled? The next"
                    + " request is accepted";
        }
    }

    /** One of Debezium's incremental snapshot notifications (STARTED, IN_PROGRESS, TABLE_SCAN_COMPLETED, COMPLETED, ABORTED, ...). */
    synchronized void on(Notification notification) {
        Map<String, String> data = notification.getAdditionalData();
        switch (notification.getType()) {
            case "STARTED", "RESUMED" -> state = "running";
            case "PAUSED" -> state = "paused";
            case "IN_PROGRESS" -> {
                state = "running";
                current = data.get("current_collection_in_progress");
            }
            case "TABLE_SCAN_COMPLETED" -> {
                done.add(data.get("scanned_collection"));
                rowsOfDoneCollections += parse(data.get("total_rows_scanned"));
                current = null;
            }
            case "COMPLETED" -> end("completed");
            case "ABORTED" -> end("aborted");
            default -> { }
        }
    }

    private void end(String how) {
        failIfUnacknowledged();
        if (state.equals("failed")) {
            return; // a late notification of a request given up on: the next one may already be asked
        }
        state = how;
        current = null;
        endedAt = Instant.now();
    }

    synchronized boolean running() {
        failIfUnacknowledged();
        return state.equals("requested") || state.equals("running") || state.equals("paused");
    }

    synchronized int collectionsTotal() {
        return collections.size();
    }

    synchronized int collectionsDone() {
        return done.size();
    }

    synchronized long rowsTotal() {
        return rowsTotal;
    }

    /** Rows of the collections done, and of the one under way as Debezium's snapshot metrics count it. */
    synchronized long rowsScanned() {
        Object live = current == null ? null : DebeziumMetrics.read("snapshot", "RowsScanned");
        return rowsOfDoneCollections + (long) DebeziumMetrics.sumOfRows(live, current);
    }

    /** For {@code /status}: null before the first snapshot was asked for. */
    synchronized Map<String, Object> status() {
        if (id == null) {
            return null;
        }
        failIfUnacknowledged();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("id", id);
        status.put("state", state);
        status.put("collections", collections);
        status.put("collections_done", List.copyOf(done));
        status.put("current", current);
        status.put("rows_total", rowsTotal);
        status.put("rows_scanned", rowsScanned());
        status.put("started_at", startedAt.toString());
        status.put("ended_at", endedAt == null ? null : endedAt.toString());
        status.put("error", failure);
        return status;
    }

    private static long parse(String number) {
        try {
            return number == null ? 0 : Long.parseLong(number);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
