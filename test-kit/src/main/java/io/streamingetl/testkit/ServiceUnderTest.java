package io.streamingetl.testkit;

import io.streamingetl.localstack.Engines;
import io.streamingetl.runtime.Health;
import io.streamingetl.runtime.Service;
import io.streamingetl.runtime.RunningService;
import io.streamingetl.runtime.ServiceLauncher;
import io.streamingetl.runtime.Settings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * The service a scenario runs, started and stopped as {@code main} does it ({@link ServiceLauncher}), on the
 * scenario's engines with its own names; a scenario closes it after each test.
 */
public final class ServiceUnderTest implements AutoCloseable {
    private final Service.Definition definition;
    private RunningService running;

    public ServiceUnderTest(Service.Definition definition) {
        this.definition = definition;
    }

    /**
     * The settings every scenario gives its service, {@code own} over them: the engines' broker and schema registry, health and
     * metrics on any free port, Kafka Streams state in a new directory, {@code prefix} before the application id, so
     * no two scenarios share Streams state or a consumer group, and a warm-up of 100 records: the code path runs, the
     * JIT's gain is the benchmark's to show.
     */
    public static Settings settings(Engines engines, String prefix, Map<String, String> own) {
        Map<String, String> settings = new HashMap<>();
        settings.putAll(engines.kafkaClientSettings());
        settings.put("SCHEMA_REGISTRY_URL", engines.schemaRegistryUrl());
        settings.put("HTTP_PORT", "0");
        settings.put("WARM_UP_RECORDS", "100");
        settings.put("APPLICATION_ID", prefix + "app");
        try {
            settings.put("STATE_DIR", Files.createTempDirectory("streams").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        settings.putAll(own);
        return new Settings(settings);
    }

    public void start(Settings settings) {
        running = ServiceLauncher.start(definition, settings);
    }

    /** Blocks until the service stopped by itself; true when it failed. */
    public boolean awaitStop() throws InterruptedException {
        return running.awaitStop();
    }

    public String url(String path) {
        return running.url(path);
    }

    /** The running service, to pause, resume or restart as an operator would. */
    public RunningService running() {
        return running;
    }

    public Health health() {
        return running.runtime().health();
    }

    /** Stops it as SIGTERM does (offsets committed or stored); nothing when it is not running. */
    public void stop() {
        if (running != null) {
            running.close();
            running = null;
        }
    }

    @Override
    public void close() {
        stop();
    }
}
