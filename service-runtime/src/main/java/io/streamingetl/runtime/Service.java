package io.streamingetl.runtime;

import io.streamingetl.contract.PipelineService;
import io.streamingetl.contract.Topic;
import java.util.List;

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

    /** Stops the work cleanly (offsets committed or stored) and releases what it holds; safe to call twice. */
    @Override
    void close();

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
