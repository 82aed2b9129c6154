package io.streamingetl.benchmark;

import static io.streamingetl.benchmark.BenchmarkClients.millis;

import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.harness.ServiceProcess;
import io.streamingetl.localstack.Directories;
import io.streamingetl.localstack.EmbeddedEngines;
import io.streamingetl.localstack.KafkaEngine;
import io.streamingetl.localstack.SearchEngineKind;
import io.streamingetl.runtime.DeliveryProfile;
import io.streamingetl.runtime.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/**
 * The pipeline's figures on this machine, in one run: the engines' start-up, the raw Kafka ceiling, each
 * stage's throughput on a pre-filled topic (the real service jar as a process, replaying), whole-pipeline
 * latency from database commit to document visible at steps of load, and each service's heap. It prints a
 * table and writes {@code .benchmark/results.json}. {@code failover} and {@code backfill} are modes of their own
 * ({@link FailoverBenchmark}, {@link BackfillBenchmark}).
 */
@Command(name = "benchmark.sh", mixinStandardHelpOptions = true, version = "benchmark 0.1.0", subcommands = {FailoverBenchmark.class, BackfillBenchmark.class},
        description = "The pipeline's figures on this machine: rates, CPU per record and latency per load step, each "
                + "against a ceiling measured in the same run. Prints a table; writes .benchmark/results.json.",
        footer = {"", "Settings (environment): BENCHMARK_STAGES=a,b (only those services' replays), BENCHMARK_PROFILE=true "
                + "(a JFR profile of each replay, its top frames in the table), DEMO_SEARCH_ENGINE (elasticsearch or opensearch).",
                "", "./benchmark.sh failover [orders]: the join's state after an instance and its disk are lost, without and with a standby"
                + " (./benchmark.sh failover --help).",
                "./benchmark.sh backfill [customers] [orders]: the sources filled first, then backfilled while a live load runs"
                + " (./benchmark.sh backfill --help)."})
public final class PipelineBenchmark implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", defaultValue = "50000", paramLabel = "<records>",
            description = "records per stage replay (0: no replays; default ${DEFAULT-VALUE})")
    private int records;

    @Parameters(index = "1", arity = "0..1", defaultValue = "1000", split = ",", paramLabel = "<changes-per-second,...>",
            description = "steps of load, each held <seconds>, then steps half again as high while one holds: the "
                    + "capacity is the highest held at p99 <= 1 s (default ${DEFAULT-VALUE})")
    private List<Integer> rates;

    @Parameters(index = "2", arity = "0..1", defaultValue = "60", paramLabel = "<seconds>",
            description = "how long each step lasts (0: no latency run; default ${DEFAULT-VALUE})")
    private int seconds;

    @Option(names = "--profiles", split = ",", defaultValue = "exactly-once,low-latency", paramLabel = "<profile,...>",
            converter = ProfileConverter.class, description = "the delivery profiles whose latency is measured, side by side"
                    + " (default ${DEFAULT-VALUE})")
    private List<DeliveryProfile> profiles;

    /** A profile by its setting's value, as DELIVERY_PROFILE takes it. */
    static final class ProfileConverter implements CommandLine.ITypeConverter<DeliveryProfile> {
        @Override
        public DeliveryProfile convert(String value) {
            return DeliveryProfile.named("--profiles", value);
        }
    }

    @Parameters(index = "3", arity = "0..1", defaultValue = "3", paramLabel = "<latency-runs>",
            description = "latency runs, each on engines started afresh; the figures are their median (default ${DEFAULT-VALUE})")
    private int latencyRuns;

    public static void main(String[] args) {
        System.exit(new CommandLine(new PipelineBenchmark()).setExpandAtFiles(false).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path root = Path.of(System.getProperty("demo.root", ".")).toAbsolutePath().normalize();
        Path workDir = root.resolve(".benchmark");
        Directories.deleteRecursively(workDir);
        Files.createDirectories(workDir);
        BenchmarkResults results = new BenchmarkResults();
        LocalPipeline.say("benchmark: " + records + " records per stage replay; latency at " + rates + " changes/s, each for "
                + seconds + " s, " + latencyRuns + " runs; " + Runtime.getRuntime().availableProcessors() + " cores");
        SearchEngineKind searchEngine = SearchEngineKind.from(Settings.fromEnvironment());
        try (EmbeddedEngines engines = new EmbeddedEngines(EmbeddedEngines.Ports.FREE, workDir.resolve("replay-data"),
                KafkaEngine.Security.PLAINTEXT, searchEngine)) {
            long start = System.nanoTime();
            engines.kafkaBootstrapServers();
            engines.postgres();
            engines.mongoConnectionString();
            engines.searchUrl();
            results.add("local stack start-up (Kafka, Postgres, MongoDB stand-in, " + engines.searchEngineName() + ")",
                    millis(start) + " ms");
            if (records > 0) {
                KafkaCeiling.Ceiling ceiling = KafkaCeiling.measure(engines, records, results);
                Path profiles = workDir.resolve("profiles");
                if (Boolean.parseBoolean(System.getenv("BENCHMARK_PROFILE"))) {
                    Files.createDirectories(profiles);
                    System.setProperty(ServiceProcess.PROFILES_PROPERTY, profiles.toString());
                }
                new StageReplays(engines, root, workDir, records, ceiling.recordsPerSecond(), ceiling.cpuMicrosPerRecord(),
                        results).run();
                System.clearProperty(ServiceProcess.PROFILES_PROPERTY);
                if (Files.isDirectory(profiles)) {
                    ServiceProfiles.summarize(profiles, LocalPipeline.SERVICES).forEach((service, lines) ->
                            results.add(service + " replays' JFR profile (" + profiles + ")", String.join("; ", lines)));
                }
            }
        }
        if (seconds > 0 && latencyRuns > 0) {
            for (DeliveryProfile profile : profiles) {
                BenchmarkResults ofProfile = results.ofProfile(profile.toString());
                List<LatencyFigures> runs = new ArrayList<>();
                for (int run = 1; run <= latencyRuns; run++) {
                    LocalPipeline.say(profile + ": latency run " + run + " of " + latencyRuns);
                    // Each run says its lines as it goes; the table and results.json keep the last run's beside the medians.
                    BenchmarkResults into = run == latencyRuns ? ofProfile : new BenchmarkResults();
                    runs.add(new LatencyRun(root, workDir, rates, seconds, searchEngine, profile, into).run());
                }
                LatencyFigures figures = LatencyFigures.report(runs, ofProfile);
                if (profile == DeliveryProfile.EXACTLY_ONCE) {
                    figures.into(results); // the default's, also at the top level, as results.json always had them
                }
            }
        }
        results.printTable();
        results.writeJson(workDir.resolve("results.json"));
        results.writeHtml(workDir.resolve("report.html"));
        return 0;
    }
}
