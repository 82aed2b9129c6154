package io.streamingetl.benchmark;

import static io.streamingetl.benchmark.BenchmarkClients.producer;
import static io.streamingetl.benchmark.BenchmarkClients.send;

import com.mongodb.client.MongoClients;
import io.streamingetl.avro.Customer;
import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.Order;
import io.streamingetl.avro.Shipment;
import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.benchmark.ServiceReplay.Run;
import io.streamingetl.contract.EventTime;
import io.streamingetl.contract.PipelineService;
import io.streamingetl.contract.SchemaRegistry;
import io.streamingetl.contract.ShippedOrderDocument;
import io.streamingetl.contract.Topic;
import io.streamingetl.contract.Topics;
import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.localstack.EmbeddedEngines;
import io.streamingetl.runtime.TopicAdmin;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.bson.Document;

/**
 * Each stage's throughput on pre-filled topics: the real service jar as a process replaying them, its rate
 * a share of the raw Kafka ceiling (the sink's of Elasticsearch's own), its CPU per record and its heap
 * afterwards; the median of {@link #RUNS} runs. {@code BENCHMARK_STAGES=a,b} replays only those.
 */
final class StageReplays {
    /** Runs of each replay: their median is the figure, as a single run on 2 shared cores can be off by a third. */
    static final int RUNS = 3;
    /** Of every input and output topic: as deployed (k8s), and two instances split them evenly. */
    private static final int PARTITIONS = 6;

    private final EmbeddedEngines engines;
    private final ServiceReplay replay;
    private final int records;
    private final double ceiling;
    private final double pipeCpuMicros;
    private final BenchmarkResults results;

    /** @param pipeCpuMicros the raw Kafka pipe's CPU per record in the same run, the steady figures' yardstick */
    StageReplays(EmbeddedEngines engines, Path root, Path workDir, int records, double ceiling, double pipeCpuMicros,
                 BenchmarkResults results) {
        this.engines = engines;
        this.replay = new ServiceReplay(engines, root, workDir, PARTITIONS);
        this.records = records;
        this.ceiling = ceiling;
        this.pipeCpuMicros = pipeCpuMicros;
        this.results = results;
    }

    /** Fills the inputs of every stage with {@code records} records, then replays each stage on them. */
    void run() throws Exception {
        String bootstrap = engines.kafkaBootstrapServers();
        List<String> inputs = List.of("bench.customers", "bench.orders", "bench.enriched", "bench.shipments", "bench.shipped");
        TopicAdmin.ensureTopics(bootstrap, inputs, PARTITIONS, (short) 1);
        int customers = Math.max(1, records / 4);
        // In the services' wire format: each value framed with the schema id its topic has in the registry.
        SchemaRegistry registry = engines.schemaRegistry();
        Topic<String, Customer> customerTopic = Topics.CUSTOMERS.named("bench.customers").registeredIn(registry);
        Topic<String, Order> orderTopic = Topics.ORDERS.named("bench.orders").registeredIn(registry);
        Topic<String, EnrichedOrder> enrichedTopic = Topics.ENRICHED_ORDERS.named("bench.enriched").registeredIn(registry);
        Topic<String, Shipment> shipmentTopic = Topics.SHIPMENTS.named("bench.shipments").registeredIn(registry);
        Topic<String, ShippedOrder> shippedTopic = Topics.SHIPPED_ORDERS.named("bench.shipped").registeredIn(registry);
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, 5)) {
            for (int c = 0; c < customers; c++) {
                send(producer, "bench.customers", "c" + c, customerTopic.serializeValue(
                        new Customer("c" + c, "customer-" + c, 30)), null);
            }
            for (int o = 0; o < records; o++) {
                String ts = EventTime.format(Instant.parse("2020-01-01T00:00:00Z").plusSeconds(60L * o));
                String customer = "c" + (o % customers);
                send(producer, "bench.orders", "o" + o, orderTopic.serializeValue(
                        new Order("o" + o, customer, 10.5, "usd", ts)), ts);
                send(producer, "bench.enriched", "o" + o, enrichedTopic.serializeValue(
                        new EnrichedOrder("o" + o, customer, "customer", 30, 10.5, "usd", ts)), ts);
                send(producer, "bench.shipments", "s" + o, shipmentTopic.serializeValue(
                        new Shipment("s" + o, "o" + o, "iowa", ts)), ts);
                send(producer, "bench.shipped", "o" + o, shippedTopic.serializeValue(shippedOrder(o, customers)), null);
            }
            producer.flush();
        }

        replay(PipelineService.ENRICHMENT.serviceName(), Map.of("CUSTOMERS_TOPIC", "bench.customers", "ORDERS_TOPIC", "bench.orders",
                "ENRICHED_ORDERS_TOPIC", "bench.enriched.out-%d"), "ENRICHED_ORDERS_TOPIC", records, records);
        // A replay of history from an empty join, as docs/design.md says to run one: with a grace period that
        // covers the span of the replayed event times (one order a minute here).
        Map<String, String> join = Map.of("ENRICHED_ORDERS_TOPIC", "bench.enriched",
                "SHIPMENTS_TOPIC", "bench.shipments", "SHIPPED_ORDERS_TOPIC", "bench.shipped.out-%d",
                "JOIN_GRACE", (records / (24 * 60) + 1) + "d");
        double oneJoin = replay(PipelineService.SHIPMENT_JOIN.serviceName(), join, "SHIPPED_ORDERS_TOPIC", records, 2 * records);
        Map<String, String> sinkSettings = Map.of("SHIPPED_ORDERS_TOPIC", "bench.shipped", "ES_INDEX", "bench_shipped_%d");
        double sink = replay(PipelineService.ES_SINK.serviceName(), sinkSettings, null, records, records);
        if (!Double.isNaN(sink)) {
            // After the sink's runs, so the node is as warm for its ceiling as it was for them.
            double es = SearchEngineCeiling.measure(engines.searchUrl(), records,
                    o -> ShippedOrderDocument.of(shippedOrder(o, customers)), results);
            results.add("es-sink-service as a share of Elasticsearch's raw bulk rate (median replay / best bulk size)",
                    String.format("%,.0f / %,.0f documents/s = %.0f%%", sink, es, 100 * sink / es));
            results.figure("sink_to_es_ratio", BenchmarkResults.ratio(sink, es));
        }
        Map<String, Object> scaling = new LinkedHashMap<>();
        scaling.put(PipelineService.SHIPMENT_JOIN.serviceName(), scaleOut(PipelineService.SHIPMENT_JOIN.serviceName(),
                join, "SHIPPED_ORDERS_TOPIC", records, 2 * records, oneJoin));
        scaling.put(PipelineService.ES_SINK.serviceName(), scaleOut(PipelineService.ES_SINK.serviceName(), sinkSettings, null,
                records, records, sink));
        results.figure("scaling", scaling);

        engines.postgres().createDatabase("bench", LocalPipeline.DB_USER, LocalPipeline.DB_PASSWORD);
        engines.postgres().execute("bench", LocalPipeline.DB_USER, LocalPipeline.DB_PASSWORD,
                "CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT, age INT)",
                "INSERT INTO customers SELECT 'c' || g, 'customer-' || g, 30 FROM generate_series(1, " + records + ") g");
        engines.postgres().grantCapture("bench", LocalPipeline.CAPTURE_PASSWORD);
        replay(PipelineService.CUSTOMERS_CDC.serviceName(), Map.of("POSTGRES_DB", "bench", "CUSTOMERS_TOPIC", "bench.customers.out-%d",
                "SLOT_NAME", "bench_slot_%d"), "CUSTOMERS_TOPIC",
                records, records);

        var orders = MongoClients.create(engines.mongoConnectionString());
        List<Document> documents = new ArrayList<>();
        for (int o = 0; o < records; o++) {
            documents.add(new Document(Map.of("order_id", "o" + o, "customer_id", "c1", "price", 10.5,
                    "currency", "usd", "ts", "2020-04-03T11:20:00")));
        }
        orders.getDatabase("bench").getCollection("orders").insertMany(documents);
        orders.close();
        replay(PipelineService.LOGISTICS_CDC.serviceName(), Map.of("ORDERS_COLLECTION", "bench.orders", "SHIPMENTS_COLLECTION", "bench.shipments",
                "SIGNAL_COLLECTION", "bench.debezium_signal", "ORDERS_TOPIC", "bench.orders.out-%d", "SHIPMENTS_TOPIC", "bench.shipments.out-%d"),
                "ORDERS_TOPIC", records, records);
    }

    /** The join's output for order {@code o}: the sink's input, and the documents of Elasticsearch's ceiling. */
    private static ShippedOrder shippedOrder(int o, int customers) {
        return new ShippedOrder("o" + o, "s" + o, "c" + (o % customers), "customer", 30, "iowa", 10.5, "usd");
    }

    /**
     * Replays the service {@link #RUNS} times ({@link ServiceReplay#run}) and says each figure's median beside the
     * runs. The median rate, or NaN when {@code BENCHMARK_STAGES} leaves the service out.
     */
    private double replay(String service, Map<String, String> settings, String outputSetting,
                          int outputs, int inputs) throws Exception {
        String only = System.getenv("BENCHMARK_STAGES");
        if (only != null && !List.of(only.split(",")).contains(service)) {
            return Double.NaN;
        }
        List<Run> runs = new ArrayList<>();
        for (int run = 1; run <= RUNS; run++) {
            runs.add(replay.run(service, settings, outputSetting, outputs, inputs, run, 1, results));
        }
        double warm = BenchmarkResults.median(runs.stream().mapToDouble(Run::warmRate).toArray());
        double whole = BenchmarkResults.median(runs.stream().mapToDouble(Run::overallRate).toArray());
        double cpu = BenchmarkResults.median(runs.stream().mapToDouble(Run::cpuMicros).toArray());
        double compiling = BenchmarkResults.median(runs.stream().mapToDouble(Run::compilingMicros).toArray());
        results.add(service + " replay (" + inputs + " input records), median of " + RUNS + " runs", String.format(
                "%,.0f records/s = %.0f%% of the ceiling after the first %.0f%% (warm-up; runs: %s); %,.0f records/s = %.0f%% overall",
                warm, 100 * warm / ceiling, 100 * Span.WARM_UP_SHARE, each(runs, Run::warmRate, "%,.0f"), whole, 100 * whole / ceiling));
        results.add(service + " CPU per input record after the first " + Math.round(100 * Span.WARM_UP_SHARE) + "%, median of "
                + RUNS + " runs", String.format("%.1f µs (runs: %s µs); the JIT compiling meanwhile (wall time): %.1f µs per record",
                cpu, each(runs, Run::cpuMicros, "%.1f"), compiling));
        double steadyCpu = BenchmarkResults.median(runs.stream().mapToDouble(Run::steadyCpuMicros).toArray());
        double steadyCompiling = BenchmarkResults.median(runs.stream().mapToDouble(Run::steadyCompilingMicros).toArray());
        results.add(service + " CPU per input record once steady (the last " + Math.round(100 * (1 - Span.STEADY_SHARE))
                + "%), median of " + RUNS + " runs", String.format("%.1f µs (runs: %s µs) = %.1f x the Kafka pipe's %.1f µs; the JIT"
                        + " compiling meanwhile %.1f µs per record (%s)", steadyCpu, each(runs, Run::steadyCpuMicros, "%.1f"),
                steadyCpu / pipeCpuMicros, pipeCpuMicros, steadyCompiling, steadyCompiling < steadyCpu / 10
                        ? "under a tenth: steady" : "a tenth or more: not yet steady, replay more records"));
        results.cpu(service, cpu);
        results.compiling(service, compiling);
        results.cpuSteady(service, steadyCpu);
        results.compilingSteady(service, steadyCompiling);
        results.add(service + " heap after each run", each(runs, Run::heapMegabytes, "%.0f") + " MB used of 256 MB");
        if (service.equals(PipelineService.ENRICHMENT.serviceName())) {
            results.figure("enrichment_ratio", BenchmarkResults.ratio(warm, ceiling));
        } else if (service.equals(PipelineService.SHIPMENT_JOIN.serviceName())) {
            results.figure("join_ratio", BenchmarkResults.ratio(warm, ceiling));
        }
        return warm;
    }

    /**
     * The same replay with two instances of the service in one group (each run a fresh application, as above):
     * the median rate beside one instance's; null figures when the service was left out. Both instances share
     * this machine's cores with the broker and Elasticsearch, so this is what scaling out on one machine gives.
     */
    private Map<String, Object> scaleOut(String service, Map<String, String> settings, String outputSetting,
                                         int outputs, int inputs, double oneInstance) throws Exception {
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("one_instance_records_per_s", Double.isNaN(oneInstance) ? null : Math.round(oneInstance));
        figures.put("two_instances_records_per_s", null);
        if (Double.isNaN(oneInstance)) {
            return figures;
        }
        Map<String, String> apart = new LinkedHashMap<>();
        settings.forEach((key, value) -> apart.put(key, value.replace("%d", "scaled-%d")));
        List<Run> runs = new ArrayList<>();
        for (int run = 1; run <= RUNS; run++) {
            runs.add(replay.run(service, apart, outputSetting, outputs, inputs, run, 2, results));
        }
        double two = BenchmarkResults.median(runs.stream().mapToDouble(Run::warmRate).toArray());
        results.add(service + " with 2 instances (" + PARTITIONS + " partitions), median of " + RUNS + " runs", String.format(
                "%,.0f records/s = %.2f x one instance's %,.0f (runs: %s)", two, two / oneInstance, oneInstance,
                each(runs, Run::warmRate, "%,.0f")));
        figures.put("two_instances_records_per_s", Math.round(two));
        return figures;
    }

    private static String each(List<Run> runs, ToDoubleFunction<Run> figure, String format) {
        return BenchmarkResults.each(format, runs.stream().mapToDouble(figure).toArray());
    }
}
