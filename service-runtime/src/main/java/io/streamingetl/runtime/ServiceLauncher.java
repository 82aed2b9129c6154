package io.streamingetl.runtime;

import io.streamingetl.contract.SchemaRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts a {@link Service}: its health, metrics and HTTP endpoints first, then the service its factory
 * makes. {@link #main} is every service's {@code main}; the integration tests call {@link #start} with
 * their own settings, so they run exactly what a deployment runs.
 */
public final class ServiceLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(ServiceLauncher.class);
    /** Set by a supervisor that starts services as its children; see {@link #exitWhenParentExits}. */
    public static final String EXIT_WITH_PARENT = "EXIT_WITH_PARENT";
    private static final long PARENT_GONE_CLOSE_TIMEOUT_MS = 5_000;

    private ServiceLauncher() {
    }

    /** Starts {@code definition} with {@code settings} ({@code HTTP_PORT} 0: any free port). */
    public static RunningService start(Service.Definition definition, Settings settings) {
        ServiceRuntime runtime = ServiceRuntime.start(definition.name(), settings, definition.defaultHttpPort());
        try {
            return RunningService.start(definition, settings, runtime);
        } catch (InterruptedException e) {
            runtime.close();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(definition.name() + " was interrupted while starting", e);
        } catch (RuntimeException e) {
            runtime.close();
            throw e;
        }
    }

    /**
     * The {@code main} of every service: settings from the environment, the service started, a clean close on
     * SIGTERM; exits 0 when it stopped cleanly, 1 when it failed, 2 when a setting is wrong (one line naming
     * the key, no stack trace).
     */
    public static void main(Service.Definition definition) {
        String name = definition.name();
        int exitCode;
        try {
            Settings settings = Settings.fromEnvironment();
            if (settings.bool(EXIT_WITH_PARENT, false)) {
                exitWhenParentExits(name);
            }
            RunningService running = start(definition, settings);
            Runtime.getRuntime().addShutdownHook(new Thread(running::close, "shutdown"));
            exitCode = running.awaitStop() ? 1 : 0;
        } catch (SettingsException e) {
            LOG.error("{} cannot start: {}. Fix the setting (environment variable or SETTINGS_FILE) and start it again.",
                    name, e.getMessage());
            exitCode = 2;
        } catch (SchemaRegistry.IncompatibleSchemaException e) {
            LOG.error("{} cannot start: {}. Deploy a schema that the registry's compatibility rule accepts, or change the"
                    + " subject's rule on purpose.", name, e.getMessage());
            exitCode = 2;
        } catch (Exception e) {
            LOG.error("{} failed: {}", name, e.toString(), e);
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
}
