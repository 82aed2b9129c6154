package io.streamingetl.demo;

import static io.streamingetl.demo.BenchmarkClients.millis;

import io.streamingetl.localstack.Directories;
import io.streamingetl.localstack.EmbeddedEngines;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * The pipeline's figures on this machine, in one run: the engines' start-up, the raw Kafka ceiling, each
 * stage's throughput on a pre-filled topic (the real service jar as a process, replaying), whole-pipeline
 * latency from database commit to document visible at a steady rate, and each service's heap. Run it with
 * {@code ./benchmark.sh [orders] [changes-per-second] [seconds]}; it prints a table.
 */
public final class PipelineBenchmark {
    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        List<Integer> rates = Arrays.stream((args.length > 1 ? args[1] : "1000").split(",")).map(Integer::parseInt).toList();
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        Path root = Path.of(System.getProperty("demo.root", ".")).toAbsolutePath().normalize();
        Path workDir = root.resolve(".benchmark");
        Directories.deleteRecursively(workDir);
        Files.createDirectories(workDir);
        BenchmarkResults results = new BenchmarkResults();
        PipelineDemo.say("benchmark: " + records + " records per stage replay; latency at " + rates + " changes/s, each for "
                + seconds + " s; " + Runtime.getRuntime().availableProcessors() + " cores");
        try (EmbeddedEngines engines = new EmbeddedEngines(EmbeddedEngines.Ports.FREE, workDir.resolve("replay-data"))) {
            long start = System.nanoTime();
            engines.kafkaBootstrapServers();
            engines.postgres();
            engines.mongoConnectionString();
            engines.searchUrl();
            results.add("local stack start-up (Kafka, Postgres, MongoDB stand-in, Elasticsearch)", millis(start) + " ms");
            if (records > 0) {
                double ceiling = KafkaCeiling.measure(engines, records, results);
                new StageReplays(engines, root, workDir, records, ceiling, results).run();
            }
        }
        if (seconds > 0) {
            new LatencyRun(root, workDir, rates, seconds, results).run();
        }
        results.printTable();
        results.writeJson(workDir.resolve("results.json"));
        System.exit(0);
    }
}
