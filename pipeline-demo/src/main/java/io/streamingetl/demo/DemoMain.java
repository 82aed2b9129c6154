package io.streamingetl.demo;

import io.streamingetl.contract.Topics;
import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.harness.ServiceProcess;
import io.streamingetl.runtime.SettingsException;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code ./demo.sh}: its arguments ({@link DemoCommand}) and settings ({@link DemoSettings}), one demo per work
 * directory ({@link DemoLock}), a {@link LocalPipeline} run until Ctrl-C with its progress on the console, or a
 * command sent to the running one ({@link DemoClient}).
 */
public final class DemoMain {
    private DemoMain() {
    }

    public static void main(String[] args) {
        int exitCode;
        try {
            exitCode = run(List.of(args), System.getenv());
        } catch (Exception | Error e) {
            // Whatever went wrong, the demo ends: the engines' threads must not keep a failed demo alive.
            LocalPipeline.say("failed: " + e);
            exitCode = 1;
        }
        System.exit(exitCode);
    }

    /** {@code ./demo.sh}: the exit code, after the demo stopped when it ran one (see demo-usage.txt). */
    static int run(List<String> args, Map<String, String> environment) throws Exception {
        DemoCommand command;
        DemoSettings settings;
        try {
            command = DemoCommand.parse(args);
            settings = DemoSettings.from(environment, repositoryRoot());
        } catch (DemoCommand.UsageError | SettingsException e) {
            System.err.println("[demo] " + e.getMessage() + "\n");
            System.err.print(DemoCommand.usage());
            return 2;
        }
        if (command instanceof DemoCommand.Help) {
            System.out.print(DemoCommand.usage());
            return 0;
        }
        if (!(command instanceof DemoCommand.Run run)) {
            new DemoClient(settings, environment).run(command);
            return 0;
        }
        DemoLock lock;
        try {
            lock = DemoLock.acquire(settings.workDir());
        } catch (DemoLock.HeldElsewhere e) {
            LocalPipeline.say("not starting: " + e.getMessage());
            return 2;
        }
        List<String> taken = settings.portsTaken();
        if (!taken.isEmpty()) {
            taken.forEach(line -> LocalPipeline.say("not starting: " + line));
            return 2;
        }
        lock.describe(settings.describe());
        lock.cleanWorkDirectory();
        return runUntilStopped(settings, run.seed(), lock);
    }

    private static int runUntilStopped(DemoSettings settings, boolean seed, DemoLock lock) throws Exception {
        Path logs = Files.createDirectories(settings.workDir().resolve("logs"));
        Path engineLog = logs.resolve("engines.log");
        // The console is for the demo's own lines; everything the engines (and their libraries) print goes to a file.
        PrintStream engineOutput = new PrintStream(new FileOutputStream(engineLog.toFile(), true), true, StandardCharsets.UTF_8);
        System.setOut(engineOutput);
        System.setErr(engineOutput);
        LocalPipeline.say("work directory " + settings.workDir() + " (emptied: every start is clean); engines' log " + engineLog);
        long started = System.nanoTime();
        LocalPipeline.Options options = new LocalPipeline.Options(repositoryRoot(), settings.workDir(), settings.firstHttpPort(),
                settings.partitions(), 1, settings.serviceEnvironment());
        LocalPipeline demo;
        try {
            demo = LocalPipeline.start(settings.engines(), options);
        } catch (RuntimeException | Error e) {
            LocalPipeline.say("failed to start: " + e);
            LocalPipeline.say("see " + engineLog + " and the services' logs in " + logs);
            return 1;
        }
        lock.describe(demo.endpoints());
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicBoolean stopping = new AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping.set(true);
            LocalPipeline.say("stopping: services first, then the engines");
            demo.close();
            LocalPipeline.say("stopped");
            stopped.countDown();
        }, "demo-shutdown"));
        if (seed) {
            demo.seedTutorial();
        }
        LocalPipeline.say("all stages up in " + (System.nanoTime() - started) / 1_000_000_000 + " s");
        LocalPipeline.CONSOLE.println("READY");
        LocalPipeline.say("look:      curl '" + demo.engines().searchUrl() + "/" + LocalPipeline.INDEX + "/_search?pretty'");
        LocalPipeline.say("live step: ./demo.sh live-step   (or one at a time: ./demo.sh sql \"INSERT INTO customers ...\","
                + " ./demo.sh mongo orders '{...}', ./demo.sh mongo shipments '{...}')");
        LocalPipeline.say("metrics:   curl " + demo.service(LocalPipeline.SERVICES.get(0)).metricsUrl() + " (one port per service:"
                + demo.servicePorts() + ")");
        LocalPipeline.say("inside:    ./pipeline status, ./pipeline trace 22, ./pipeline topics, ./pipeline print "
                + Topics.SHIPPED_ORDERS.name() + " --from-beginning, ./pipeline dlq <topic> (./pipeline --help: every command)");
        LocalPipeline.say("live page: ./pipeline ui, then the address it prints (http://127.0.0.1:8090/#token=...)");
        LocalPipeline.say("schemas:   curl " + demo.engines().schemaRegistryUrl() + "/subjects   (Confluent-compatible: kcat -s value=avro -r "
                + demo.engines().schemaRegistryUrl() + ")");
        LocalPipeline.say("stop:      Ctrl-C");
        String last = "";
        Set<String> reported = new HashSet<>();
        while (!stopping.get()) {
            String progress = demo.progress();
            if (!progress.equals(last)) {
                LocalPipeline.say(progress);
                last = progress;
            }
            for (ServiceProcess service : demo.services()) {
                if (!service.isAlive() && !stopping.get() && reported.add(service.name())) {
                    LocalPipeline.say(service.name() + " stopped unexpectedly; its log ends:\n" + service.tail());
                }
            }
            stopped.await(5, TimeUnit.SECONDS);
        }
        stopped.await();
        return 0;
    }

    /** The repository: {@code demo.root}, set by demo.sh; the services' jars are found under it. */
    private static Path repositoryRoot() {
        return Path.of(System.getProperty("demo.root", ".")).toAbsolutePath().normalize();
    }
}
