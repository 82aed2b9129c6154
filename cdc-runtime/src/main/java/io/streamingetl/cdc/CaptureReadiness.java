package io.streamingetl.cdc;

import io.streamingetl.runtime.Health;

/**
 * Capture is ready once Debezium polls and its initial snapshot has ended (completed, or skipped where offsets
 * exist). A change made while the snapshot runs can be read by the snapshot and again by the stream after it
 * (Debezium delivers at least once): a client that waits for readiness before writing sees each change once.
 */
final class CaptureReadiness {
    static final String CONNECTING = "connecting to the source database";
    static final String SNAPSHOT_RUNNING = "the initial snapshot is running";

    private final Health health;
    private boolean polling;
    private boolean snapshotEnded;
    private String snapshotNote;
    private Runnable onSnapshotCompleted = () -> { };

    CaptureReadiness(Health health) {
        this.health = health;
    }

    synchronized void engineStarting() {
        polling = false;
        snapshotEnded = false;
        health.notReady(CONNECTING);
    }

    synchronized void pollingStarted() {
        polling = true;
        update();
    }

    /** Run once each initial snapshot has completed. */
    synchronized void onSnapshotCompleted(Runnable action) {
        onSnapshotCompleted = action;
    }

    /** Why this snapshot is taken, said beside it while it runs (a new one after the source lost its history); null for none. */
    synchronized void snapshotNote(String note) {
        snapshotNote = note;
    }

    synchronized void pollingStopped() {
        polling = false;
        health.notReady("capture stopped");
    }

    /** A Debezium "Initial Snapshot" notification's type; an ABORTED one stops the engine, which says why. */
    synchronized void initialSnapshot(String type) {
        if ("COMPLETED".equals(type) || "SKIPPED".equals(type)) {
            snapshotEnded = true;
            update();
        }
        if ("COMPLETED".equals(type)) {
            onSnapshotCompleted.run();
        }
    }

    private void update() {
        if (polling && snapshotEnded) {
            health.ready();
        } else if (polling) {
            health.notReady(snapshotNote == null ? SNAPSHOT_RUNNING : SNAPSHOT_RUNNING + " (" + snapshotNote + ")");
        }
    }
}
