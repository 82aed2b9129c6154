package io.streamingetl.runtime;

import io.streamingetl.contract.PipelineService;
import io.streamingetl.contract.Topic;
import java.util.List;
import java.util.Map;

/**
 * One deployable service's lifecycle, the same for a Kafka Streams topology, a Debezium capture and the
 * Elasticsearch sink: {@link ServiceLauncher} starts it in {@code main} and in the integration tests alike.
 */
public interface Service extends AutoCloseable {

    /** The pipeline topics it reads and writes: created when missing, their value schemas registered at start. */
    List<Topic<String, ?>> topics();

    /** Starts the work in the background; creates the topics it reads and writes when missing. */
    void start() throws InterruptedException;

    /** Blocks until the work stopped, closed or failed; true when it failed. */
    boolean awaitStop() throws InterruptedException;

    /**
     * Stops taking new work and keeps its place (offsets committed, partitions kept, a replication slot kept) until
     * {@link #resume}: what an operator asks before upgrading what the service reads or writes. Returns once nothing
     * more is done, within the service's {@code CONTROL_TIMEOUT}; else throws {@link StillRunningException}, the work
     * going on. Idempotent.
     */
    void pause();

    /** Takes up the work where {@link #pause} left it. Idempotent. */
    void resume();

    /** What the service says of its work beyond health, for {@code /status}: lag, progress, counts. */
    default Map<String, Object> status() {
        return Map.of();
    }

    /**
     * Stops the work cleanly (offsets committed or stored) and releases what it holds; safe to call twice. Throws
     * {@link StillRunningException} when the work did not stop within the control timeout, so a restart in place
     * never starts a second one beside it.
     */
    @Override
    void close();

    /**
     * The work did not stop within the control timeout: nothing was replaced and it goes on. The message says what
     * still runs and what to do; the operator is told it as is.
     */
    final class StillRunningException extends RuntimeException {
        public StillRunningException(String message) {
            super(message);
        }
    }

    /** Makes a service from its settings (validated first, a wrong one failing with its key), reporting to {@code runtime}. */
    @FunctionalInterface
    interface Factory {
        Service create(Settings settings, ServiceRuntime runtime);
    }

    /** A deployable service: its name, the HTTP port of its health and metrics, and its factory. */
    record Definition(String name, int defaultHttpPort, Factory factory) {
        public Definition(PipelineService service, Factory factory) {
            this(service.serviceName(), service.defaultHttpPort(), factory);
        }
    }
}
