package io.streamingetl.cdc;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A capture's Debezium engine, one at a time: each run on a thread of its own, stopped cleanly (its offsets stored)
 * and replaced only once that thread has ended, so two engines never read one replication slot or resume token. An
 * engine that does not end within the control timeout is kept; after a pause that could not stop it, a new one
 * takes over once it has ended.
 */
final class CaptureEngine {
    private static final Logger LOG = LoggerFactory.getLogger(CaptureEngine.class);

    /** Builds an engine that runs {@code onEnd} when it has stopped, however it stopped. */
    @FunctionalInterface
    interface Maker {
        DebeziumEngine<RecordChangeEvent<SourceRecord>> make(Runnable onEnd);
    }

    private final String service;
    private final Duration controlTimeout;
    private final Maker maker;
    private Run run; // null while stopped; under this object's lock
    private boolean closing;

    /** One run of the engine on its own thread, and the latch its end opens. */
    private record Run(DebeziumEngine<RecordChangeEvent<SourceRecord>> debezium, ExecutorService thread, CountDownLatch ended) {
    }

    CaptureEngine(String service, Duration controlTimeout, Maker maker) {
        this.service = service;
        this.controlTimeout = controlTimeout;
        this.maker = maker;
    }

    /** Starts an engine unless one runs (or is still ending); false when one does. */
    synchronized boolean start() {
        if (run != null || closing) {
            return false;
        }
        CountDownLatch ended = new CountDownLatch(1);
        DebeziumEngine<RecordChangeEvent<SourceRecord>> debezium = maker.make(ended::countDown);
        run = new Run(debezium, Executors.newSingleThreadExecutor(r -> new Thread(r, service + "-engine")), ended);
        run.thread().execute(debezium);
        return true;
    }

    synchronized boolean running() {
        return run != null;
    }

    /**
     * Stops the engine and waits for its thread to end; false when it has not within the control timeout (a batch
     * waiting for Kafka, say): it is then kept, and {@code replaceWhenEnded} has a new one take over once it ends.
     */
    synchronized boolean stop(boolean replaceWhenEnded) {
        if (run == null) {
            return true;
        }
        try {
            if (run.ended().getCount() > 0) {
                run.debezium().close();
            }
        } catch (IOException | IllegalStateException e) {
            // Debezium's engine refuses to close twice, or once it stopped by itself.
            LOG.warn("{}: closing the engine: {}", service, e.toString());
        }
        run.thread().shutdown();
        try {
            if (!run.thread().awaitTermination(controlTimeout.toMillis(), TimeUnit.MILLISECONDS)) {
                if (replaceWhenEnded) {
                    replaceWhenEnded(run);
                }
                return false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
        run = null;
        return true;
    }

    /** Stops for good: no engine starts after this, not even one replacing an engine a pause could not stop. */
    synchronized boolean close() {
        closing = true;
        return stop(false);
    }

    private void replaceWhenEnded(Run old) {
        Thread watch = new Thread(() -> {
            try {
                old.thread().awaitTermination(Long.MAX_VALUE, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            synchronized (this) {
                if (run == old && !closing) {
                    LOG.info("{}: the engine a pause could not stop has ended; capture goes on with a new one", service);
                    run = null;
                    start();
                }
            }
        }, service + "-engine-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
