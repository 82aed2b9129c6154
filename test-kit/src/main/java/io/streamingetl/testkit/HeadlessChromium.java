package io.streamingetl.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Debian's headless Chromium for the tests that load a page: from PATH, or else Debian's
 * {@code chromium-headless-shell} and the libraries it lacks here, downloaded and unpacked into {@code target/}
 * (nothing is installed). {@link #unavailable()} says why a test is skipped where neither works.
 */
public final class HeadlessChromium {
    private final Path binary;
    private final String libraries;
    private final String unavailable;

    private HeadlessChromium(Path binary, String libraries, String unavailable) {
        this.binary = binary;
        this.libraries = libraries;
        this.unavailable = unavailable;
    }

    /** Chromium from PATH, or unpacked into {@code dir} (downloaded the first time). */
    public static HeadlessChromium find(Path dir) throws IOException, InterruptedException {
        for (String name : List.of("/usr/bin/chromium-headless-shell", "/usr/bin/chromium")) {
            if (Files.isExecutable(Path.of(name))) {
                return new HeadlessChromium(Path.of(name), "", null);
            }
        }
        Path root = dir.resolve("root");
        Path unpacked = root.resolve("usr/lib/chromium/chromium-headless-shell");
        if (!Files.isExecutable(unpacked)) {
            Files.createDirectories(root);
            // The packages apt would install (the shell and the libraries this machine lacks), unpacked, not installed.
            Result download = run(dir, List.of("sh", "-c", "{ apt-get download $(apt-get install --dry-run chromium-headless-shell"
                    + " | awk '/^Inst/{print $2}') && for deb in *.deb; do dpkg-deb -x \"$deb\" root; done; } 2>&1"), null);
            if (download.exitCode() != 0 || !Files.isExecutable(unpacked)) {
                return new HeadlessChromium(null, null, "Chromium is not on this machine and Debian's chromium-headless-shell could"
                        + " not be fetched (" + download.output().strip().lines().reduce((a, b) -> b).orElse("") + ")");
            }
        }
        try (Stream<Path> files = Files.walk(root)) {
            String libraries = files.filter(f -> f.getFileName().toString().contains(".so")).map(f -> f.getParent().toString())
                    .distinct().collect(Collectors.joining(":"));
            return new HeadlessChromium(unpacked, libraries, null);
        }
    }

    /** Null when Chromium runs here; else why not. */
    public String unavailable() {
        return unavailable;
    }

    /** The page's DOM once its scripts ran and its requests were answered (within {@code budgetMillis} of page time). */
    public String dumpDom(String url, int budgetMillis) throws IOException, InterruptedException {
        Result result = run(Path.of("."), command("--virtual-time-budget=" + budgetMillis, "--dump-dom", url), libraries);
        if (result.exitCode() != 0) {
            throw new IOException("chromium exited " + result.exitCode() + ": " + result.output());
        }
        return result.output();
    }

    /** A screenshot of the page, {@code width} by {@code height}, into {@code png}. */
    public void screenshot(String url, Path png, int width, int height, int budgetMillis) throws IOException, InterruptedException {
        Result result = run(Path.of("."), command("--virtual-time-budget=" + budgetMillis, "--window-size=" + width + "," + height,
                "--screenshot=" + png.toAbsolutePath(), url), libraries);
        if (result.exitCode() != 0 || !Files.exists(png)) {
            throw new IOException("chromium made no screenshot (" + result.exitCode() + "): " + result.output());
        }
    }

    private List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--headless", "--no-sandbox", "--disable-gpu",
                "--hide-scrollbars"));
        command.addAll(List.of(args));
        return command;
    }

    private record Result(int exitCode, String output) {
    }

    /** Runs {@code command}, its standard output the result (Chromium's own log lines go to standard error, dropped). */
    private static Result run(Path dir, List<String> command, String libraries) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD);
        if (libraries != null && !libraries.isEmpty()) {
            builder.environment().put("LD_LIBRARY_PATH", libraries);
        }
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(180, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, output + "\n(timed out)");
        }
        return new Result(process.exitValue(), output);
    }
}
