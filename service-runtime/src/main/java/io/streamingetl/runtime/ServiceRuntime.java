package io.streamingetl.runtime;

import io.micrometer.core.instrument.binder.jvm.JvmCompilationMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every service has beside its own work: the metrics registry (JVM metrics included, so heap per
 * service is visible), health, and the HTTP endpoints for both.
 */
public final class ServiceRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceRuntime.class);

    private final String service;
    private final PrometheusMeterRegistry registry;
    private final Health health = new Health();
    private final OpsServer ops;
    private final Duration controlTimeout;
    /** The meters of the process rather than of a service's work: they outlive a restart in place. */
    public static final String CONTROL_TIMEOUT = "CONTROL_TIMEOUT";
    private static final Set<String> RUNTIME_METER_PREFIXES = Set.of("jvm.", "process.", "system.", "pipeline_ready", "pipeline_paused");

    private ServiceRuntime(String service, OpsSettings opsSettings, Duration controlTimeout) {
        this.service = service;
        this.controlTimeout = controlTimeout;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("service", service);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new JvmCompilationMetrics().bindTo(registry);
        // Readiness as a metric too, so an alert can say how long a service has not been doing its work.
        registry.gauge("pipeline_ready", health, h -> h.isReady() ? 1 : 0);
        // Paused on purpose: the not-ready alert leaves it to the operator who paused it.
        registry.gauge("pipeline_paused", health, h -> h.isPaused() ? 1 : 0);
        this.ops = new OpsServer(opsSettings, health, registry);
        LOG.info("{}: health on http://{}:{}/health/live and /health/ready, metrics on /metrics{}", service,
                opsSettings.bindAddress().getHostAddress(), ops.port(),
                opsSettings.token().isEmpty() ? "; operator endpoints off (no OPS_TOKEN)" : "");
    }

    /** Reads the {@link OpsSettings} ({@code HTTP_PORT} 0 = any free port) and {@link #controlTimeout(Settings)}. */
    public static ServiceRuntime start(String service, Settings settings, int defaultHttpPort) {
        return new ServiceRuntime(service, OpsSettings.from(settings, defaultHttpPort), controlTimeout(settings));
    }

    /**
     * {@code CONTROL_TIMEOUT} (30s): how long a pause or a restart waits for the work under way (a batch being
     * written, a capture engine stopping) before it answers that it could not; {@code ./pipeline} reads the same
     * setting and waits longer than a service does, so an answer is never taken for silence.
     */
    public static Duration controlTimeout(Settings settings) {
        Duration timeout = settings.duration(CONTROL_TIMEOUT, Duration.ofSeconds(30));
        if (timeout.toMillis() < 100 || timeout.toMinutes() > 10) {
            throw new SettingsException(CONTROL_TIMEOUT, "is " + timeout + ", must be between 100ms and 10m");
        }
        return timeout;
    }

    /** How long a pause or a restart waits for the work under way ({@code CONTROL_TIMEOUT}). */
    public Duration controlTimeout() {
        return controlTimeout;
    }

    public String service() {
        return service;
    }

    public PrometheusMeterRegistry registry() {
        return registry;
    }

    public Health health() {
        return health;
    }

    /** Serves GET {@code path}... on the service's HTTP port to anyone, beside health and metrics. */
    public void route(String path, OpsServer.Route route) {
        ops.route(path, route);
    }

    /** Serves {@code methods} of {@code path}... to the operator's token only ({@link OpsServer#operatorRoute}). */
    public void operatorRoute(String path, Set<String> methods, OpsServer.Route route) {
        ops.operatorRoute(path, methods, route);
    }

    /**
     * Removes the meters a service registered (its clients', its own), keeping the JVM's and readiness: a service
     * restarted in place registers its new clients' meters instead of the closed ones'. Its counters start again at
     * 0, as after a process restart, which Prometheus' rate() takes as a reset.
     */
    public void forgetServiceMeters() {
        registry.getMeters().stream()
                .filter(m -> RUNTIME_METER_PREFIXES.stream().noneMatch(m.getId().getName()::startsWith))
                .forEach(registry::remove);
    }

    public int httpPort() {
        return ops.port();
    }

    /**
     * A client's own properties from the environment: {@code <prefix>MAX_POLL_RECORDS=10} becomes
     * {@code max.poll.records=10}, as the official Kafka images do, so any client setting can be tuned
     * without a code change.
     */
    public static Map<String, Object> passThrough(Settings settings, String prefix) {
        Map<String, Object> properties = new TreeMap<>();
        settings.withPrefix(prefix).forEach((k, v) -> properties.put(k.toLowerCase().replace('_', '.'), v));
        return properties;
    }

    @Override
    public void close() {
        ops.close();
        registry.close();
    }
}
