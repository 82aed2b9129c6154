package io.streamingetl.benchmark;

import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.localstack.Directories;
import io.streamingetl.localstack.EmbeddedEngines;
import io.streamingetl.localstack.KafkaEngine;
import io.streamingetl.localstack.SearchEngineKind;
import io.streamingetl.runtime.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./benchmark.sh failover [orders]}: the join's state after an instance and its disk are lost, without and with a
 * standby. Two shipment-join-service instances (their jars, as processes) hold {@code orders} orders in the join's
 * stores; one is killed (SIGKILL) and its state directory deleted, and what is timed is how long until the survivor
 * serves every partition and until the first change written after the kill is indexed ({@link FailoverRun}). The
 * figures go to {@code .benchmark/results.json} under {@code failover}, its other keys kept.
 */
@Command(name = "failover", mixinStandardHelpOptions = true,
        description = "Two shipment-join-service instances hold <orders> orders in the join's state; one is killed (SIGKILL) and its "
                + "state directory deleted, once per standby setting (NUM_STANDBY_REPLICAS): the time until the survivor serves "
                + "every partition, and until the first change after the kill is indexed. Adds `failover` to .benchmark/results.json.")
final class FailoverBenchmark implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", defaultValue = "1000000", paramLabel = "<orders>",
            description = "orders the join holds when an instance is killed (default ${DEFAULT-VALUE})")
    private int orders;

    @Option(names = "--standbys", split = ",", defaultValue = "0,1", paramLabel = "<n>",
            description = "NUM_STANDBY_REPLICAS of each run, in order (default ${DEFAULT-VALUE})")
    private List<Integer> standbys;

    @Option(names = "--session-timeout-ms", defaultValue = "10000", paramLabel = "<ms>",
            description = "the instances' session.timeout.ms: how soon the group notices the killed one (Kafka's default is "
                    + "45000; default here ${DEFAULT-VALUE}, as PipelineClusterIT runs)")
    private int sessionTimeoutMs;

    @Override
    public Integer call() throws Exception {
        Path root = Path.of(System.getProperty("demo.root", ".")).toAbsolutePath().normalize();
        Path workDir = root.resolve(".benchmark").resolve("failover");
        Directories.deleteRecursively(workDir);
        Files.createDirectories(workDir);
        BenchmarkResults results = new BenchmarkResults();
        LocalPipeline.say("benchmark failover: " + orders + " orders in the join, standbys " + standbys + ", session timeout "
                + sessionTimeoutMs + " ms; " + Runtime.getRuntime().availableProcessors() + " cores, load average " + loadAverage());
        List<Map<String, Object>> runs = new ArrayList<>();
        try (EmbeddedEngines engines = new EmbeddedEngines(EmbeddedEngines.Ports.FREE, workDir.resolve("data"),
                KafkaEngine.Security.PLAINTEXT, SearchEngineKind.from(Settings.fromEnvironment()))) {
            JoinInput input = JoinInput.fill(engines, orders, results);
            for (int standby : standbys) {
                runs.add(new FailoverRun(engines, root, workDir, input, standby, sessionTimeoutMs).run(results));
            }
        }
        Map<String, Object> failover = new LinkedHashMap<>();
        failover.put("orders", orders);
        failover.put("partitions", JoinInput.PARTITIONS);
        failover.put("session_timeout_ms", sessionTimeoutMs);
        failover.put("cores", Runtime.getRuntime().availableProcessors());
        failover.put("load_average_after", loadAverage());
        failover.put("runs", runs);
        results.printTable();
        Path resultsFile = root.resolve(".benchmark").resolve("results.json");
        ResultsFile.put(resultsFile, "failover", failover);
        LocalPipeline.say("figures written to " + resultsFile + " under failover");
        return 0;
    }

    /** The machine's 1-minute load average, as the figures must say how busy the machine was. */
    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }
}
