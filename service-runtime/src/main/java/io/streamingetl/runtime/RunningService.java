package io.streamingetl.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started service and its runtime, as Kafka Connect's REST API lets an operator act on a connector:
 * {@code POST /control/pause}, {@code /control/resume} and {@code /control/restart} (in place: the service
 * closed cleanly and made again from its settings, the process and its ops server kept) for the operator's
 * token, and {@code GET /status}, open, for scripts and {@code ./pipeline status}.
 */
public final class RunningService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunningService.class);
    public static final String CONTROL = "/control/";

    private final Service.Definition definition;
    private final Settings settings;
    private final ServiceRuntime runtime;
    private Service service; // replaced by a restart, under this object's lock

    private RunningService(Service.Definition definition, Settings settings, ServiceRuntime runtime) {
        this.definition = definition;
        this.settings = settings;
        this.runtime = runtime;
    }

    /** Starts {@code definition}'s service with {@code settings} under {@code runtime}, and serves its control routes. */
    static RunningService start(Service.Definition definition, Settings settings, ServiceRuntime runtime) throws InterruptedException {
        RunningService running = new RunningService(definition, settings, runtime);
        synchronized (running) {
            running.service = running.startService();
        }
        runtime.route("/status", request -> OpsServer.Answer.json(200, running.status()));
        runtime.operatorRoute(CONTROL, Set.of("POST"), request -> switch (request.rest()) {
            case "pause" -> running.pause();
            case "resume" -> running.resume();
            case "restart" -> running.restart();
            default -> OpsServer.Answer.error(404, "no control " + request.rest() + "; pause, resume or restart");
        });
        return running;
    }

    private Service startService() throws InterruptedException {
        Service made = definition.factory().create(settings, runtime);
        SchemaRegistration.registerAll(definition.name(), made.topics(), runtime.health());
        LOG.info("{}: starting {}", definition.name(), made);
        made.start();
        return made;
    }

    public ServiceRuntime runtime() {
        return runtime;
    }

    public synchronized Service service() {
        return service;
    }

    public synchronized OpsServer.Answer pause() {
        service.pause();
        runtime.health().paused();
        LOG.warn("{}: paused by an operator; POST {}resume (./pipeline resume {}) takes the work up again",
                definition.name(), CONTROL, definition.name());
        return OpsServer.Answer.json(200, status());
    }

    public synchronized OpsServer.Answer resume() {
        service.resume();
        runtime.health().resumed();
        LOG.info("{}: resumed by an operator", definition.name());
        return OpsServer.Answer.json(200, status());
    }

    /** Closes the service cleanly and starts it again from its settings; a pause ends with it. */
    public synchronized OpsServer.Answer restart() throws InterruptedException {
        LOG.warn("{}: restarting in place, asked by an operator", definition.name());
        runtime.health().notReady("restarting, asked by an operator");
        service.close();
        runtime.forgetServiceMeters();
        runtime.health().resumed();
        try {
            service = startService();
        } catch (RuntimeException e) {
            runtime.health().failed("could not start again after a restart: " + e.getMessage());
            throw e;
        }
        return OpsServer.Answer.json(200, status());
    }

    /**
     * Blocks until the service stopped by itself or was closed (not merely restarted); true when it failed. A
     * restart holds the lock while it replaces the service, so the stopped one is never mistaken for the end.
     */
    public boolean awaitStop() throws InterruptedException {
        while (true) {
            Service current = service();
            boolean failed = current.awaitStop();
            synchronized (this) {
                if (current == service) {
                    return failed || !runtime.health().live();
                }
            }
        }
    }

    /** Health, dead letters and consumer lag from the registry, then what the service says of its work. */
    public synchronized Map<String, Object> status() {
        Health health = runtime.health();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("service", definition.name());
        status.put("live", health.live());
        status.put("ready", health.isReady());
        status.put("reason", health.notReadyReason());
        status.put("paused", health.isPaused());
        status.put("about", health.about());
        status.put("dead_letters", (long) runtime.registry().find("pipeline_dead_letters").counters().stream()
                .mapToDouble(Counter::count).sum());
        status.put("consumer_lag", runtime.registry().find("kafka.consumer.fetch.manager.records.lag.max").gauges().stream()
                .mapToDouble(Gauge::value).filter(Double::isFinite).mapToLong(v -> (long) v).max().stream().boxed()
                .findFirst().orElse(null));
        status.putAll(service.status());
        return status;
    }

    public String url(String path) {
        return "http://127.0.0.1:" + runtime.httpPort() + path;
    }

    @Override
    public synchronized void close() {
        service.close();
        runtime.close();
    }
}
