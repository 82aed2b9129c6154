package io.streamingetl.benchmark;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.harness.PipelineNames;
import io.streamingetl.localstack.Directories;
import io.streamingetl.localstack.EmbeddedEngines;
import io.streamingetl.localstack.KafkaEngine;
import io.streamingetl.localstack.SearchEngineKind;
import io.streamingetl.mongostandin.MongoReplicaSetStandIn;
import io.streamingetl.runtime.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./benchmark.sh backfill [customers] [orders]}: a first day at scale. The sources are filled first
 * ({@link BackfillData}), then the whole pipeline starts and backfills them by incremental snapshots while a live load
 * runs ({@link BackfillRun}): the time until the index holds every document, its rate against the search engine's own,
 * the live load's freshness as a search client sees it, each service's heap, the join's state on disk, and the WAL the
 * replication slot retains. The figures go to {@code .benchmark/results.json} under {@code backfill} (its other keys
 * kept) and to {@code .benchmark/report.html} (a section of its own, the rest of the page kept).
 */
@Command(name = "backfill", mixinStandardHelpOptions = true,
        description = "Fills Postgres with <customers> customers and MongoDB with <orders> orders (nine in ten with a shipment), "
                + "then starts the pipeline, which backfills them by incremental snapshots while a live load of changes runs: the "
                + "time until the index holds every document, documents/s against the engine's own bulk rate, the live load's "
                + "freshness, heaps, the join's state, the slot's WAL. Adds `backfill` to .benchmark/results.json and report.html.",
        footer = {"", "The services take their settings from the environment as deployed (BULK_CONCURRENT_REQUESTS, "
                + "DEBEZIUM_INCREMENTAL_SNAPSHOT_CHUNK_SIZE, ...); the benchmark's own JVM holds the engines and the MongoDB "
                + "stand-in's documents in memory: BENCHMARK_HEAP (./benchmark.sh) sizes it."})
final class BackfillBenchmark implements Callable<Integer> {
    @Parameters(index = "0", arity = "0..1", defaultValue = "1000000", paramLabel = "<customers>",
            description = "customers in Postgres (default ${DEFAULT-VALUE})")
    private int customers;

    @Parameters(index = "1", arity = "0..1", defaultValue = "2000000", paramLabel = "<orders>",
            description = "orders in MongoDB, nine in ten with a shipment (default ${DEFAULT-VALUE})")
    private int orders;

    @Option(names = "--live", defaultValue = "100", paramLabel = "<changes-per-second>",
            description = "the live load while the backfill runs, the search client's probe pairs included (default ${DEFAULT-VALUE})")
    private int live;

    @Option(names = "--partitions", defaultValue = "3", paramLabel = "<n>",
            description = "partitions of every pipeline topic (default ${DEFAULT-VALUE}, as the demo)")
    private int partitions;

    @Option(names = "--replay", defaultValue = "200000", paramLabel = "<documents>",
            description = "documents the sink alone replays after the backfill, against the engine's own rate (default ${DEFAULT-VALUE})")
    private int replay;

    @Option(names = "--changes-kept", defaultValue = "200000", paramLabel = "<n>",
            description = "changes the MongoDB stand-in's change log keeps, as an oplog of a fixed size (default ${DEFAULT-VALUE}; "
                    + "each holds a copy of its document)")
    private int changesKept;

    @Override
    public Integer call() throws Exception {
        Path root = Path.of(System.getProperty("demo.root", ".")).toAbsolutePath().normalize();
        Path workDir = root.resolve(".benchmark").resolve("backfill");
        Directories.deleteRecursively(workDir);
        Files.createDirectories(workDir);
        System.setProperty(MongoReplicaSetStandIn.CHANGES_KEPT_PROPERTY, Integer.toString(changesKept));
        BenchmarkResults results = new BenchmarkResults();
        Map<String, Object> backfill = new LinkedHashMap<>();
        backfill.put("customers", customers);
        backfill.put("orders", orders);
        backfill.put("cores", Runtime.getRuntime().availableProcessors());
        backfill.put("load_average_before", BackfillMonitor.loadAverage());
        LocalPipeline.say(String.format("benchmark backfill: %,d customers, %,d orders; a live load of %d changes/s; %d cores, load"
                + " average %s, this JVM's heap at most %,d MB", customers, orders, live, Runtime.getRuntime().availableProcessors(),
                FailoverBenchmark.loadAverage(), Runtime.getRuntime().maxMemory() / (1024 * 1024)));
        try (EmbeddedEngines engines = new EmbeddedEngines(EmbeddedEngines.Ports.FREE, workDir.resolve("data"),
                KafkaEngine.Security.PLAINTEXT, SearchEngineKind.from(Settings.fromEnvironment()))) {
            BackfillData data = new BackfillData(customers, orders, Instant.now());
            fill(engines, data, backfill, results);
            backfill.putAll(new BackfillRun(engines, root, workDir, data, live, partitions, replay, Map.of(), results).run());
        }
        results.printTable();
        Path resultsFile = root.resolve(".benchmark").resolve("results.json");
        ResultsFile.put(resultsFile, "backfill", backfill);
        LocalPipeline.say("figures written to " + resultsFile + " under backfill");
        Path report = root.resolve(".benchmark").resolve("report.html");
        BackfillReport.addTo(report, backfill, results.table());
        LocalPipeline.say("report: " + report + " (the backfill's section)");
        return 0;
    }

    /** The sources, timed, and what holding them costs this JVM (the stand-in keeps every document in memory). */
    private static void fill(EmbeddedEngines engines, BackfillData data, Map<String, Object> figures, BenchmarkResults results) {
        long start = System.nanoTime();
        data.fillPostgres(engines.postgres(), PipelineNames.CONTRACT.database());
        long postgres = System.nanoTime();
        long heapBefore = usedHeapAfterGc();
        try (MongoClient mongo = MongoClients.create(engines.mongoConnectionString())) {
            long[] said = {0};
            data.fillMongo(mongo.getDatabase(PipelineNames.CONTRACT.logisticsDatabase()), inserted -> {
                if (inserted - said[0] >= 500_000) {
                    said[0] = inserted;
                    LocalPipeline.say(String.format("fill: %,d documents into a collection of the MongoDB stand-in", inserted));
                }
            });
        }
        long mongo = System.nanoTime();
        long standInBytes = usedHeapAfterGc() - heapBefore;
        long documents = data.orders() + data.shipments();
        figures.put("fill_postgres_s", Math.round((postgres - start) / 1e8) / 10.0);
        figures.put("fill_mongo_s", Math.round((mongo - postgres) / 1e8) / 10.0);
        figures.put("stand_in_heap_mb", standInBytes / (1024 * 1024));
        figures.put("stand_in_bytes_per_document", standInBytes / Math.max(1, documents));
        results.add("backfill: the sources filled first", String.format("%,d customers into Postgres in %.0f s; %,d orders and %,d"
                        + " shipments into the MongoDB stand-in in %.0f s, which holds them in %,d MB of this JVM's heap (%,d bytes a"
                        + " document, its change log keeping the last %s changes)", data.customers(), (postgres - start) / 1e9,
                data.orders(), data.shipments(), (mongo - postgres) / 1e9, standInBytes / (1024 * 1024),
                standInBytes / Math.max(1, documents), System.getProperty(MongoReplicaSetStandIn.CHANGES_KEPT_PROPERTY)));
    }

    private static long usedHeapAfterGc() {
        Runtime runtime = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return runtime.totalMemory() - runtime.freeMemory();
    }
}
