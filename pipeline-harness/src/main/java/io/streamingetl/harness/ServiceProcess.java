package io.streamingetl.harness;

import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.localstack.LogFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * One service of the pipeline as its own process, started from its jar with only environment variables,
 * as a container would run it; its log goes to a file of its own.
 */
public final class ServiceProcess {
    /**
     * A directory set here (by the benchmark's {@code BENCHMARK_PROFILE}) makes every service started from then
     * on record a JFR profile into it, {@code <name>.jfr}, written when the service stops.
     */
    public static final String PROFILES_PROPERTY = "service.profiles";
    /**
     * JVM options set here (space-separated) are given to every service started from then on, after the harness's own:
     * the tests' {@code -XX:TieredStopAtLevel=1} (the root pom's {@code tests.service.jvm.options}): the five services'
     * start then takes a third less CPU, for the minute or two each lives in a test.
     */
    public static final String JVM_OPTIONS_PROPERTY = "service.jvm.options";
    /**
     * Settings set here ({@code KEY=value}, space-separated) are given to every service started from then on, under
     * its own: the tests' {@code WARM_UP_RECORDS=1000} (the root pom's {@code tests.service.environment}), as a service
     * on the client compiler alone has little to gain from a longer warm-up.
     */
    public static final String ENVIRONMENT_PROPERTY = "service.environment";
    /** Started and not yet stopped: a harness stopped itself (Ctrl-C, SIGTERM) stops them too, rather than leave them running. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> RUNNING.forEach(Process::destroy), "stop-services"));
    }

    private final String name;
    private final Path jar;
    private final Map<String, String> environment;
    private final int httpPort;
    private final Path log;
    private Process process;

    public ServiceProcess(String name, Path jar, Map<String, String> environment, int httpPort, Path logDir) {
        this.name = name;
        this.jar = jar;
        this.environment = environment;
        this.httpPort = httpPort;
        this.log = logDir.resolve(name + ".log");
    }

    public String name() {
        return name;
    }

    public int httpPort() {
        return httpPort;
    }

    public Path log() {
        return log;
    }

    /** A setting changed for the next start, as an operator's fix deploys (a limit raised, say). */
    public void set(String key, String value) {
        environment.put(key, value);
    }

    public void start() {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: build the services first (mvn -B -DskipTests install)");
        }
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC"));
        String options = System.getProperty(JVM_OPTIONS_PROPERTY, "").strip();
        if (!options.isEmpty()) {
            command.addAll(List.of(options.split("\\s+")));
        }
        String profiles = System.getProperty(PROFILES_PROPERTY);
        if (profiles != null) {
            command.add("-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="
                    + Path.of(profiles).resolve(name + ".jfr"));
        }
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command);
        for (String setting : System.getProperty(ENVIRONMENT_PROPERTY, "").strip().split("\\s+")) {
            if (setting.contains("=")) {
                builder.environment().put(setting.substring(0, setting.indexOf('=')), setting.substring(setting.indexOf('=') + 1));
            }
        }
        builder.environment().putAll(environment);
        builder.environment().put("HTTP_PORT", Integer.toString(httpPort));
        builder.redirectErrorStream(true);
        builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        try {
            Files.createDirectories(log.getParent());
            Process started = builder.start();
            RUNNING.add(started);
            started.onExit().thenRun(() -> RUNNING.remove(started));
            process = started;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start " + name + ": " + e.getMessage(), e);
        }
    }

    /** Waits until the service says it is ready; fails with the end of its log when it does not. */
    public void awaitReady(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        HttpProbe.Answer answer = HttpProbe.get(readyUrl());
        while (answer.status() != 200 && System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; its log ends:\n" + tail());
            }
            Thread.sleep(250);
            answer = HttpProbe.get(readyUrl());
        }
        if (!process.isAlive()) {
            // Something else answered on its port: the service itself did not start.
            throw new IllegalStateException(name + " exited with code " + process.exitValue() + "; its log ends:\n" + tail());
        }
        if (answer.status() != 200) {
            throw new IllegalStateException(name + " is not ready after " + timeout.toSeconds() + " s (" + answer.body().trim()
                    + "); its log ends:\n" + tail());
        }
    }

    public String readyUrl() {
        return "http://127.0.0.1:" + httpPort + "/health/ready";
    }

    public String metricsUrl() {
        return "http://127.0.0.1:" + httpPort + "/metrics";
    }

    public boolean isAlive() {
        return process != null && process.isAlive();
    }

    /** SIGTERM, as an orchestrator stops it: the service closes cleanly and commits what it did. */
    public void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** SIGKILL: no clean-up at all, as a crash. */
    public void kill() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    public String tail() {
        return LogFiles.tail(log, 20);
    }
}
