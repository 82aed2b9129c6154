package io.streamingetl.runtime;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The part of every service's {@code main} that is not its own work: the metrics registry (JVM metrics
 * included, so heap per service is visible), health, and the HTTP endpoints for both.
 */
public final class ServiceRuntime implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceRuntime.class);

    private final String service;
    private final PrometheusMeterRegistry registry;
    private final Health health = new Health();
    private final OpsServer ops;

    private ServiceRuntime(String service, int httpPort) {
        this.service = service;
        this.registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        registry.config().commonTags("service", service);
        new JvmMemoryMetrics().bindTo(registry);
        new JvmGcMetrics().bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        this.ops = new OpsServer(httpPort, health, registry);
        LOG.info("{}: health on http://127.0.0.1:{}/health/live and /health/ready, metrics on /metrics",
                service, ops.port());
    }

    /** A service's body, given its settings; it returns when the service stopped, true when it failed. */
    @FunctionalInterface
    public interface Body {
        boolean run(Settings settings) throws Exception;
    }

    /**
     * The {@code main} of every service: reads the settings, runs the body, and exits 0 when it stopped
     * cleanly, 1 when it failed, 2 when a setting is wrong (one line naming the key, no stack trace).
     */
    public static void launch(String service, Body body) {
        int exitCode;
        try {
            exitCode = body.run(Settings.fromEnvironment()) ? 1 : 0;
        } catch (SettingsException e) {
            LOG.error("{} cannot start: {}. Fix the setting (environment variable or SETTINGS_FILE) and start it again.",
                    service, e.getMessage());
            exitCode = 2;
        } catch (Exception e) {
            LOG.error("{} failed: {}", service, e.toString(), e);
            exitCode = 1;
        }
        System.exit(exitCode);
    }

    /** Reads {@code HTTP_PORT} (0 = any free port). */
    public static ServiceRuntime start(String service, Settings settings, int defaultHttpPort) {
        return new ServiceRuntime(service, settings.integer("HTTP_PORT", defaultHttpPort, 0, 65535));
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
