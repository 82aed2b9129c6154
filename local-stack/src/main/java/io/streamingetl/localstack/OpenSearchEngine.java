package io.streamingetl.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real OpenSearch 2.19 node as a process of its own (module {@code local-opensearch}: codelibs' runner, its
 * dependencies from the local Maven repository, listed in the jar at build time), REST on 127.0.0.1. Stopping it
 * freezes the process (SIGSTOP): connections hang until requests time out, its data kept, until it is thawed.
 */
public final class OpenSearchEngine implements SearchNode {
    private static final String CLASSPATH = "opensearch-node.classpath";
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);

    private final int port;
    private final Process process;
    private final Path home;
    private final boolean deleteOnClose;

    private OpenSearchEngine(int port, Process process, Path home, boolean deleteOnClose) {
        this.port = port;
        this.process = process;
        this.home = home;
        this.deleteOnClose = deleteOnClose;
    }

    static OpenSearchEngine start(int httpPort, Path home, Map<String, String> settings) {
        try {
            boolean temporary = home == null;
            Path dir = temporary ? Files.createTempDirectory("opensearch-") : Files.createDirectories(home);
            int port = httpPort == 0 ? FreePorts.next() : httpPort;
            Path log = dir.resolve("opensearch.log");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-Xms512m", "-Xmx512m", "-XX:+UseSerialGC", "-Djava.awt.headless=true",
                    "-cp", classPath(), "io.streamingetl.localopensearch.OpenSearchNode",
                    Integer.toString(port), Integer.toString(FreePorts.next()), dir.resolve("node").toString()));
            settings.forEach((key, value) -> command.add(key + "=" + value));
            Process process = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
            ChildProcesses.stopWhenThisJvmExits(process.pid(), "KILL");
            OpenSearchEngine engine = new OpenSearchEngine(port, process, dir, temporary);
            engine.awaitReady(log);
            return engine;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start OpenSearch: " + e.getMessage(), e);
        }
    }

    /** The node's jar and its dependencies, as the build listed them in the jar. */
    private static String classPath() throws IOException {
        URL listing = OpenSearchEngine.class.getClassLoader().getResource(CLASSPATH);
        if (listing == null) {
            throw new IllegalStateException("OpenSearch's node is not on the class path (module local-opensearch): build the"
                    + " project with Maven first (mvn -B -DskipTests install)");
        }
        String jar;
        try {
            jar = listing.getProtocol().equals("jar")
                    ? Path.of(((JarURLConnection) listing.openConnection()).getJarFileURL().toURI()).toString()
                    : Path.of(listing.toURI()).getParent().toString();
        } catch (java.net.URISyntaxException e) {
            throw new IOException(e);
        }
        try (InputStream in = listing.openStream()) {
            return jar + java.io.File.pathSeparator + new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
        }
    }

    private void awaitReady(Path log) {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("OpenSearch exited with " + process.exitValue() + " before it was ready; its log: "
                        + log + "\n" + LogFiles.tail(log, 20));
            }
            if (HttpProbe.get(url() + "/_cluster/health?wait_for_status=yellow&timeout=1s").status() == 200) {
                return;
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
        throw new IllegalStateException("OpenSearch did not answer at " + url() + " within " + START_TIMEOUT.toSeconds()
                + " s; its log: " + log + "\n" + LogFiles.tail(log, 20));
    }

    @Override
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    @Override
    public void stop() {
        ChildProcesses.signal(process.pid(), "STOP");
    }

    @Override
    public void restart() {
        ChildProcesses.signal(process.pid(), "CONT");
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            ChildProcesses.signal(process.pid(), "CONT");
            process.destroy();
            try {
                if (!process.waitFor(20, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
        if (deleteOnClose) {
            Directories.deleteRecursively(home);
        }
    }
}
