package io.streamingetl.runtime;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A started service and its runtime, as Kafka Connect's REST API lets an operator act on a connector:
 * {@code POST /control/pause} ({@code ?by=} says who asked, shown while it is paused), {@code /control/resume} and
 * {@code /control/restart} (in place: the service closed cleanly and made again from its settings, the process and
 * its ops server kept) for the operator's token, and {@code GET /status}, open, for scripts and
 * {@code ./pipeline status}. One control action at a time, each answering when done or saying it could not
 * ({@link Service.StillRunningException}); {@code /status} never waits for one.
 */
public final class RunningService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunningService.class);
    public static final String CONTROL = "/control/";

    private final Service.Definition definition;
    private final Settings settings;
    private final ServiceRuntime runtime;
    private final DeliveryProfile profile;
    /** Held by a control action (and by a restart while it replaces the service); never by /status. */
    private final ReentrantLock control = new ReentrantLock();
    private volatile Service service;
    private volatile String underWay;

    private RunningService(Service.Definition definition, Settings settings, ServiceRuntime runtime) {
        this.definition = definition;
        this.settings = settings;
        this.runtime = runtime;
        this.profile = DeliveryProfile.from(settings);
    }

    /** Starts {@code definition}'s service with {@code settings} under {@code runtime}, and serves its control routes. */
    static RunningService start(Service.Definition definition, Settings settings, ServiceRuntime runtime) throws InterruptedException {
        RunningService running = new RunningService(definition, settings, runtime);
        running.service = running.startService();
        runtime.route("/status", request -> OpsServer.Answer.json(200, running.status()));
        runtime.operatorRoute(CONTROL, Set.of("POST"), request -> switch (request.rest()) {
            case "pause" -> running.pause(queryValue(request.query(), "by"));
            case "resume" -> running.resume();
            case "restart" -> running.restart();
            default -> OpsServer.Answer.error(404, "no control " + request.rest() + "; pause, resume or restart");
        });
        return running;
    }

    private Service startService() throws InterruptedException {
        Service made = definition.factory().create(settings, runtime);
        SchemaRegistration.registerAll(definition.name(), made.topics(), runtime.health());
        LOG.info("{}: starting {}, delivery profile {}", definition.name(), made, profile);
        made.start();
        return made;
    }

    public ServiceRuntime runtime() {
        return runtime;
    }

    public Service service() {
        return service;
    }

    /** A control action's body; what the operator is answered. */
    @FunctionalInterface
    private interface Action {
        OpsServer.Answer run() throws InterruptedException;
    }

    /**
     * Runs {@code action} once no other control action is under way; one still under way after the control timeout is
     * said (409) rather than queued behind for ever.
     */
    private OpsServer.Answer controlled(String name, Action action) throws InterruptedException {
        if (!control.tryLock(runtime.controlTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
            return OpsServer.Answer.error(409, definition.name() + " is still busy with " + underWay + "; ask again once it"
                    + " answered (./pipeline status shows its state)");
        }
        try {
            underWay = name + " (asked at " + Instant.now() + ")";
            return action.run();
        } finally {
            underWay = null;
            control.unlock();
        }
    }

    /** Pauses the service; {@code by} (who asked, or null) is shown by readiness and /status until it is resumed. */
    public OpsServer.Answer pause(String by) throws InterruptedException {
        return controlled("a pause", () -> {
            try {
                service.pause();
            } catch (Service.StillRunningException e) {
                LOG.warn("{}: could not pause: {}", definition.name(), e.getMessage());
                return OpsServer.Answer.error(409, definition.name() + " could not pause: " + e.getMessage());
            }
            runtime.health().paused(by);
            LOG.warn("{}: paused by an operator{}; POST {}resume (./pipeline resume {}) takes the work up again",
                    definition.name(), by == null ? "" : " (" + SafeText.of(by) + ")", CONTROL, definition.name());
            return OpsServer.Answer.json(200, status());
        });
    }

    public OpsServer.Answer resume() throws InterruptedException {
        return controlled("a resume", () -> {
            service.resume();
            runtime.health().resumed();
            LOG.info("{}: resumed by an operator", definition.name());
            return OpsServer.Answer.json(200, status());
        });
    }

    /**
     * Closes the service cleanly and starts it again from its settings; a pause ends with it. A service whose work did
     * not stop is not started a second time beside it: the restart answers that it could not.
     */
    public OpsServer.Answer restart() throws InterruptedException {
        return controlled("a restart", () -> {
            LOG.warn("{}: restarting in place, asked by an operator", definition.name());
            runtime.health().notReady("restarting, asked by an operator");
            try {
                service.close();
            } catch (Service.StillRunningException e) {
                LOG.warn("{}: could not restart: {}", definition.name(), e.getMessage());
                runtime.health().notReady("a restart asked by an operator did not complete: " + e.getMessage());
                return OpsServer.Answer.error(409, definition.name() + " could not restart: " + e.getMessage());
            }
            runtime.forgetServiceMeters();
            runtime.health().resumed();
            try {
                service = startService();
            } catch (RuntimeException e) {
                runtime.health().failed("could not start again after a restart: " + e.getMessage());
                throw e;
            }
            return OpsServer.Answer.json(200, status());
        });
    }

    /**
     * Blocks until the service stopped by itself or was closed (not merely restarted); true when it failed. A
     * restart holds the control lock while it replaces the service, so the stopped one is never mistaken for the end.
     */
    public boolean awaitStop() throws InterruptedException {
        while (true) {
            Service current = service;
            boolean failed = current.awaitStop();
            control.lockInterruptibly();
            try {
                if (current == service) {
                    return failed || !runtime.health().live();
                }
            } finally {
                control.unlock();
            }
        }
    }

    /** Health, dead letters and consumer lag from the registry, then what the service says of its work; never waits. */
    public Map<String, Object> status() {
        Health health = runtime.health();
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("service", definition.name());
        status.put("live", health.live());
        status.put("ready", health.isReady());
        status.put("reason", health.notReadyReason());
        status.put("paused", health.isPaused());
        status.put("paused_by", health.pausedBy());
        status.put("control_under_way", underWay);
        status.put("about", health.about());
        status.put("delivery_profile", profile.toString());
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

    /** {@code name}'s value in a query string, decoded; null when absent. */
    static String queryValue(String query, String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int equals = pair.indexOf('=');
            if (equals > 0 && URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8).equals(name)) {
                return URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /** The process ends: waits for a control action under way, then closes the service (said when it did not stop). */
    @Override
    public void close() {
        control.lock();
        try {
            service.close();
        } catch (Service.StillRunningException e) {
            LOG.warn("{}: closing with its work still running: {}", definition.name(), e.getMessage());
        } finally {
            control.unlock();
            runtime.close();
        }
    }
}
