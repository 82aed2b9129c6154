package io.streamingetl.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.harness.ServiceProcess;
import io.streamingetl.localstack.Directories;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * ./demo.sh as a user runs it, a process from the built jar: help, wrong arguments and taken ports start
 * and delete nothing; a second demo on the same work directory is refused; and nothing the demo started
 * outlives a kill -9 of it.
 */
class DemoCommandLineIT {
    private static final Path ROOT = LocalPipeline.repositoryRoot();
    private static final Map<String, String> FREE_PORTS = Map.of("DEMO_KAFKA_PORT", "0", "DEMO_POSTGRES_PORT", "0",
            "DEMO_MONGO_PORT", "0", "DEMO_ES_PORT", "0", "DEMO_REGISTRY_PORT", "0", "DEMO_FIRST_HTTP_PORT", "0");

    private Path workDir;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void workDirectory() throws IOException {
        workDir = Files.createTempDirectory("demo-cli").resolve("work");
    }

    @AfterEach
    void cleanUp() {
        started.forEach(Process::destroyForcibly);
        Directories.deleteRecursively(workDir.getParent());
    }

    /** The demo, as demo.sh runs it, with its output merged and readable line by line. */
    private Process demo(Map<String, String> environment, String... args) throws IOException {
        // The services' JVM options of the tests (ServiceProcess.JVM_OPTIONS_PROPERTY), passed on to those the demo starts.
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-Ddemo.root=" + ROOT, "-D" + ServiceProcess.JVM_OPTIONS_PROPERTY + "="
                        + System.getProperty(ServiceProcess.JVM_OPTIONS_PROPERTY, ""),
                "-jar", ROOT.resolve("pipeline-demo/target/pipeline-demo.jar").toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().putAll(environment);
        builder.environment().put("DEMO_DIR", workDir.toString());
        Process process = builder.start();
        started.add(process);
        return process;
    }

    private static String outputOf(Process process) throws Exception {
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("exited within 60 s").isTrue();
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void helpInEachSpellingPrintsTheUsageExits0AndCreatesNothing() throws Exception {
        for (String help : List.of("help", "--help", "-h")) {
            Process process = demo(Map.of(), help);
            assertThat(outputOf(process)).isEqualTo(DemoCommand.usage());
            assertThat(process.exitValue()).isZero();
        }
        assertThat(workDir).doesNotExist();
    }

    @Test
    void demoShPrintsTheSameUsageWithoutBuildingOrStartingAnything() throws Exception {
        Process process = new ProcessBuilder("bash", ROOT.resolve("demo.sh").toString(), "--help").redirectErrorStream(true).start();
        started.add(process);
        assertThat(outputOf(process)).isEqualTo(DemoCommand.usage());
        assertThat(process.exitValue()).isZero();
    }

    @Test
    void anUnknownOptionPrintsTheReasonAndTheUsageAndExits2() throws Exception {
        Process process = demo(Map.of(), "--no-such-option");
        assertThat(outputOf(process)).isEqualTo("[demo] unknown option '--no-such-option'\n\n" + DemoCommand.usage());
        assertThat(process.exitValue()).isEqualTo(2);
        assertThat(workDir).doesNotExist();
    }

    @Test
    void aPortTakenByAnotherProgramIsNamedWithItsSettingAndNothingIsDeleted() throws Exception {
        Path earlierRun = Files.createDirectories(workDir.resolve("logs")).resolve("engines.log");
        Files.writeString(earlierRun, "an earlier run's log");
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Map<String, String> environment = new HashMap<>(FREE_PORTS);
            environment.put("DEMO_POSTGRES_PORT", Integer.toString(other.getLocalPort()));
            Process process = demo(environment);
            assertThat(outputOf(process)).isEqualTo("[demo] not starting: port " + other.getLocalPort()
                    + " is in use by another program: stop it, or set DEMO_POSTGRES_PORT to a free port\n");
            assertThat(process.exitValue()).isEqualTo(2);
        }
        assertThat(earlierRun).hasContent("an earlier run's log");
    }

    private static BufferedReader console(Process demo) {
        return new BufferedReader(new InputStreamReader(demo.getInputStream(), StandardCharsets.UTF_8));
    }

    /** The demo's console lines up to READY (which is left out), the demo still running. */
    private static List<String> linesUntilReady(Process demo, BufferedReader console) throws IOException {
        List<String> lines = new ArrayList<>();
        for (String line = console.readLine(); line != null && !line.equals("READY"); line = console.readLine()) {
            lines.add(line);
        }
        assertThat(demo.isAlive()).as("demo running; its output: %s", lines).isTrue();
        return lines;
    }

    @Test
    void stoppedAsCtrlCWouldTheDemoStopsItsServicesThenItsEnginesAndSaysNothingElse() throws Exception {
        Process demo = demo(FREE_PORTS, "--no-seed");
        BufferedReader console = console(demo);
        linesUntilReady(demo, console);

        demo.toHandle().destroy(); // SIGTERM, keeping the output open (Process.destroy() closes it)
        List<String> rest = console.lines().toList();

        assertThat(demo.waitFor(60, TimeUnit.SECONDS)).as("stopped within 60 s").isTrue();
        assertThat(rest.stream().filter(line -> line.contains("stopp")))
                .containsExactly("[demo] stopping: services first, then the engines", "[demo] stopped");
        assertThat(rest).doesNotContain("unexpectedly");
    }

    @Test
    void aSecondDemoIsRefusedNamingTheFirstAndNothingTheFirstStartedOutlivesItsKill9() throws Exception {
        Process first = demo(FREE_PORTS, "--no-seed");
        List<String> lines = linesUntilReady(first, console(first));
        assertThat(lines).allMatch(line -> line.startsWith("[demo] "), "only the demo's own lines on the console");

        long before = System.nanoTime();
        Process second = demo(FREE_PORTS, "--no-seed");
        String refusal = outputOf(second);
        assertThat(second.exitValue()).isEqualTo(2);
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(10));
        assertThat(refusal).startsWith("[demo] not starting: another demo is running in " + workDir + " (pid " + first.pid()
                + ", ports kafka 127.0.0.1:");
        assertThat(first.isAlive()).isTrue();
        assertThat(workDir.resolve("logs").resolve("engines.log")).isNotEmptyFile();

        List<ProcessHandle> children = first.descendants().toList();
        List<ProcessHandle> postgres = ProcessHandle.allProcesses()
                .filter(p -> p.info().commandLine().orElse("").contains(workDir.resolve("data").toString()))
                .toList();
        assertThat(children).hasSizeGreaterThanOrEqualTo(LocalPipeline.SERVICES.size());
        assertThat(postgres).isNotEmpty();
        first.destroyForcibly();
        List<ProcessHandle> all = new ArrayList<>(children);
        all.addAll(postgres);
        List<ProcessHandle> alive = await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).until(() -> all.stream().filter(ProcessHandle::isAlive).toList(), List::isEmpty);
        assertThat(alive).as("processes left 15 s after kill -9 of the demo").isEmpty();
    }
}
