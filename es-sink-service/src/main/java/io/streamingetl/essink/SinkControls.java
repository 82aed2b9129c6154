package io.streamingetl.essink;

import java.time.Duration;

/**
 * What the sink was told, read by its loop at every step: keep running or stop, write or hold back (an operator's
 * pause); and whether the loop is writing, so a pause returns once nothing more is written.
 */
final class SinkControls {
    private volatile boolean running = true;
    private volatile boolean paused;
    private boolean writing; // guarded by this

    boolean running() {
        return running;
    }

    synchronized void stop() {
        running = false;
        notifyAll();
    }

    boolean paused() {
        return paused;
    }

    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
    }

    /** Said by the loop: it writes (a batch under way, or able to cut one), or not. */
    synchronized void writing(boolean now) {
        writing = now;
        notifyAll();
    }

    /** Waits until the loop writes nothing more (the batch under way finished) or {@code timeout} passed; true when so. */
    synchronized boolean awaitNotWriting(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (writing && running && System.nanoTime() < deadline) {
            wait(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
        }
        return !writing;
    }
}
