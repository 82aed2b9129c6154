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
    /** Set by a supervisor that starts services as its children; see {@link #exitWhenParentExits}. */
    public static final String EXIT_WITH_PARENT = "EXIT_WITH_PARENT";
    private static final long PARENT_GONE_CLOSE_TIMEOUT_MS = 5_000;

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
            Settings settings = Settings.fromEnvironment();
            if (settings.bool(EXIT_WITH_PARENT, false)) {
                exitWhenParentExits(service);
            }
            exitCode = body.run(settings) ? 1 : 0;
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

    /**
     * Exits when the process that started this one ends, even by {@code kill -9}: a service started by a
     * supervisor that has no orchestrator behind it (the demo) must not outlive it. The parent's exit is seen
     * as this process being re-parented, which happens at once, whether or not anyone reaps the parent.
     */
    private static void exitWhenParentExits(String service) {
        long parent = ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L);
        Thread watch = new Thread(() -> {
            try {
                while (ProcessHandle.current().parent().map(ProcessHandle::pid).orElse(-1L) == parent) {
                    Thread.sleep(500);
                }
            } catch (InterruptedException e) {
                return;
            }
            LOG.warn("{}: the process that started it (pid {}) has exited ({}=true): stopping", service, parent,
                    EXIT_WITH_PARENT);
            // A clean close waits for a broker that is usually gone with the parent; never wait long for it.
            Thread halt = new Thread(() -> {
                try {
                    Thread.sleep(PARENT_GONE_CLOSE_TIMEOUT_MS);
                } catch (InterruptedException ignored) {
                    // halting now is as good
                }
                Runtime.getRuntime().halt(1);
            }, "parent-gone-halt");
            halt.setDaemon(true);
            halt.start();
            System.exit(1);
        }, "parent-watch");
        watch.setDaemon(true);
        watch.start();
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
