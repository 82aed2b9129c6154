package io.streamingetl.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * A real schema registry: Apicurio Registry (from Maven Central, schemas in memory) as a process of its own,
 * with BACKWARD compatibility for every subject as Confluent's registry has by default. Services talk to its
 * Confluent-compatible API, {@link #url()}. The distribution is the one the build put in the local Maven
 * repository; it is unpacked once per version under the temporary directory.
 */
public final class SchemaRegistryEngine implements AutoCloseable {
    /** The Confluent-compatible API of Apicurio Registry. */
    public static final String CCOMPAT_PATH = "/apis/ccompat/v7";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final int port;
    private final Path logDir;
    private Process process;
    private Path log;

    private SchemaRegistryEngine(int port, Path logDir) {
        this.port = port;
        this.logDir = logDir;
    }

    /**
     * @param port    on 127.0.0.1, 0 for a free one
     * @param logDir  where its log goes, or null for a temporary directory
     */
    public static SchemaRegistryEngine start(int port, Path logDir) {
        SchemaRegistryEngine engine = new SchemaRegistryEngine(port == 0 ? FreePorts.next() : port, logDir);
        engine.startProcess();
        return engine;
    }

    /** Stops it and starts it again on the same port: with its schemas in memory, it has forgotten every one. */
    public void restartForgettingSchemas() {
        close();
        startProcess();
    }

    private void startProcess() {
        int chosen = port;
        try {
            Path home = distribution();
            Path dir = logDir == null ? Files.createTempDirectory("schema-registry-") : Files.createDirectories(logDir);
            log = dir.resolve("schema-registry.log");
            Path runner;
            try (var files = Files.list(home)) {
                runner = files.filter(f -> f.getFileName().toString().endsWith("-runner.jar")).findFirst()
                        .orElseThrow(() -> new IllegalStateException("No *-runner.jar in " + home));
            }
            process = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=" + chosen,
                    "-Dregistry.rules.global.compatibility=BACKWARD",
                    "-jar", runner.toString()))
                    .directory(home.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            ChildProcesses.stopWhenThisJvmExits(process.pid(), "KILL");
            awaitReady();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the schema registry: " + e.getMessage(), e);
        }
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The schema registry exited with " + process.exitValue() + " before it was "
                        + "ready; its log: " + log + "\n" + tail());
            }
            if (HttpProbe.get(url() + "/subjects").status() == 200) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IllegalStateException("The schema registry did not answer at " + url() + " within " + START_TIMEOUT.toSeconds()
                + " s; its log: " + log + "\n" + tail());
    }

    private String tail() {
        return LogFiles.tail(log, 20);
    }

    /**
     * The unpacked distribution of the version the build names: unpacked from the local Maven repository into
     * the temporary directory once, into a directory of its own first so that a half-unpacked one is never used.
     */
    static Path distribution() throws IOException {
        Properties build = new Properties();
        try (InputStream in = SchemaRegistryEngine.class.getResourceAsStream("/registry.properties")) {
            build.load(in);
        }
        String version = build.getProperty("apicurio.version");
        Path home = Path.of(System.getProperty("java.io.tmpdir"), "apicurio-registry-" + version);
        if (Files.isDirectory(home)) {
            return home;
        }
        String name = "apicurio-registry-app-" + version + "-all.tar.gz";
        Path tarball = Path.of(build.getProperty("maven.repository"), "io", "apicurio", "apicurio-registry-app", version, name);
        if (!Files.isReadable(tarball)) {
            throw new IllegalStateException("The schema registry's distribution is not at " + tarball + ": build the project"
                    + " with Maven first (mvn -B -DskipTests install downloads it), or fetch it with mvn dependency:get"
                    + " -Dartifact=io.apicurio:apicurio-registry-app:" + version + ":tar.gz:all");
        }
        Path unpacking = Files.createTempDirectory(home.getParent(), home.getFileName() + ".unpacking-");
        try {
            Process tar = new ProcessBuilder("tar", "-xzf", tarball.toString(), "-C", unpacking.toString())
                    .redirectErrorStream(true).start();
            String output = new String(tar.getInputStream().readAllBytes());
            if (tar.waitFor() != 0) {
                throw new IOException("tar -xzf " + tarball + " failed: " + output);
            }
            Files.move(unpacking, home, StandardCopyOption.ATOMIC_MOVE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted while unpacking " + tarball, e);
        } catch (IOException e) {
            if (!Files.isDirectory(home)) {
                throw e;
            }
            // another process unpacked it first
        } finally {
            Directories.deleteRecursively(unpacking);
        }
        return home;
    }

    public int port() {
        return port;
    }

    /** The Confluent-compatible API, what {@code SCHEMA_REGISTRY_URL} is set to. */
    public String url() {
        return "http://127.0.0.1:" + port + CCOMPAT_PATH;
    }

    /** Freezes the process (SIGSTOP): connections are accepted by the kernel but nothing answers; its schemas are kept. */
    public void suspend() {
        ChildProcesses.signal(process.pid(), "STOP");
    }

    public void resume() {
        ChildProcesses.signal(process.pid(), "CONT");
    }

    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        resume();
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
