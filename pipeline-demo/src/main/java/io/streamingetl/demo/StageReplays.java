package io.streamingetl.demo;

import static io.streamingetl.demo.BenchmarkClients.consumer;
import static io.streamingetl.demo.BenchmarkClients.heapMegabytes;
import static io.streamingetl.demo.BenchmarkClients.producer;
import static io.streamingetl.demo.BenchmarkClients.send;

import com.mongodb.client.MongoClients;
import io.streamingetl.avro.Customer;
import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.Order;
import io.streamingetl.avro.Shipment;
import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.EventTime;
import io.streamingetl.contract.SchemaRegistry;
import io.streamingetl.contract.Topic;
import io.streamingetl.contract.Topics;
import io.streamingetl.localstack.EmbeddedEngines;
import io.streamingetl.localstack.FreePorts;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.runtime.PipelineService;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.TopicAdmin;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.bson.Document;

/**
 * Each stage's throughput on pre-filled topics: the real service jar as a process replaying them, its rate
 * a share of the raw Kafka ceiling, and its heap afterwards. {@code BENCHMARK_STAGES=a,b} replays only those.
 */
final class StageReplays {
    private static final Duration STAGE_TIMEOUT = Duration.ofMinutes(10);

    private final EmbeddedEngines engines;
    private final Path root;
    private final Path workDir;
    private final int records;
    private final double ceiling;
    private final BenchmarkResults results;

    StageReplays(EmbeddedEngines engines, Path root, Path workDir, int records, double ceiling, BenchmarkResults results) {
        this.engines = engines;
        this.root = root;
        this.workDir = workDir;
        this.records = records;
        this.ceiling = ceiling;
        this.results = results;
    }

    /** Fills the inputs of every stage with {@code records} records, then replays each stage on them. */
    void run() throws Exception {
        String bootstrap = engines.kafkaBootstrapServers();
        List<String> inputs = List.of("bench.customers", "bench.orders", "bench.enriched", "bench.shipments", "bench.shipped");
        TopicAdmin.ensureTopics(bootstrap, inputs, 3, (short) 1);
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
                send(producer, "bench.shipped", "o" + o, shippedTopic.serializeValue(
                        new ShippedOrder("o" + o, "s" + o, customer, "customer", 30, "iowa", 10.5, "usd")), null);
            }
            producer.flush();
        }

        replay(PipelineService.ENRICHMENT.serviceName(), Map.of("CUSTOMERS_TOPIC", "bench.customers", "ORDERS_TOPIC", "bench.orders",
                "ENRICHED_ORDERS_TOPIC", "bench.enriched.out"), "bench.enriched.out", records, records);
        // A replay of history from an empty join, as docs/design.md says to run one: with a grace period that
        // covers the span of the replayed event times (one order a minute here).
        replay(PipelineService.SHIPMENT_JOIN.serviceName(), Map.of("ENRICHED_ORDERS_TOPIC", "bench.enriched",
                "SHIPMENTS_TOPIC", "bench.shipments", "SHIPPED_ORDERS_TOPIC", "bench.shipped.out",
                "JOIN_GRACE", (records / (24 * 60) + 1) + "d"),
                "bench.shipped.out", records, 2 * records);
        replay(PipelineService.ES_SINK.serviceName(), Map.of("SHIPPED_ORDERS_TOPIC", "bench.shipped", "ES_INDEX", "bench_shipped"),
                null, records, records);

        engines.postgres().createDatabase("bench", PipelineDemo.DB_USER, PipelineDemo.DB_PASSWORD);
        engines.postgres().execute("bench", PipelineDemo.DB_USER, PipelineDemo.DB_PASSWORD,
                "CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT, age INT)",
                "INSERT INTO customers SELECT 'c' || g, 'customer-' || g, 30 FROM generate_series(1, " + records + ") g");
        replay(PipelineService.CUSTOMERS_CDC.serviceName(), Map.of("POSTGRES_DB", "bench", "CUSTOMERS_TOPIC", "bench.customers.out",
                "SLOT_NAME", "bench_slot", "PUBLICATION_NAME", "bench_publication"), "bench.customers.out",
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
                "ORDERS_TOPIC", "bench.orders.out", "SHIPMENTS_TOPIC", "bench.shipments.out"),
                "bench.orders.out", records, records);
    }

    /**
     * Starts the service's jar on pre-filled input and times its output from the first record to the last,
     * and from the {@link Span#WARM_UP_SHARE} to the last; the rate is of input records, so the join's two
     * inputs count twice as in the ceiling.
     */
    private void replay(String service, Map<String, String> topics, String outputTopic,
                        int outputs, int inputs) throws Exception {
        String only = System.getenv("BENCHMARK_STAGES");
        if (only != null && !List.of(only.split(",")).contains(service)) {
            return;
        }
        Map<String, String> env = new LinkedHashMap<>(topics);
        env.put("KAFKA_BOOTSTRAP_SERVERS", engines.kafkaBootstrapServers());
        env.put(Settings.SCHEMA_REGISTRY_URL, engines.schemaRegistryUrl());
        env.put("APPLICATION_ID", "bench-" + service);
        env.put("GROUP_ID", "bench-" + service);
        env.put("OFFSETS_TOPIC", "bench-" + service + "-offsets");
        env.put("STATE_DIR", workDir.resolve("state-" + service).toString());
        env.put("POSTGRES_HOST", "127.0.0.1");
        env.put("POSTGRES_PORT", Integer.toString(engines.postgres().port()));
        env.put("POSTGRES_PASSWORD", PipelineDemo.DB_PASSWORD);
        env.put("MONGO_URI", engines.mongoConnectionString());
        env.put("ES_URL", engines.elasticsearchUrl());
        env.put("TOPIC_PREFIX", "bench-" + service);
        if (outputTopic != null) {
            TopicAdmin.ensureTopics(engines.kafkaBootstrapServers(), List.of(outputTopic), 3, (short) 1);
        }
        ServiceProcess process = new ServiceProcess(service, root.resolve(service).resolve("target").resolve(service + ".jar"),
                env, FreePorts.next(), workDir.resolve("logs"));
        process.start();
        try {
            Span span = outputTopic == null ? indexedSpan(process, outputs) : topicSpan(outputTopic, outputs);
            double whole = span.overallRate(inputs);
            double warm = span.warmRate(inputs);
            results.add(service + " replay (" + inputs + " input records)", String.format(
                    "%,.0f records/s = %.0f%% of the ceiling after the first %.0f%% (warm-up); %,.0f records/s = %.0f%% overall",
                    warm, 100 * warm / ceiling, 100 * Span.WARM_UP_SHARE, whole, 100 * whole / ceiling));
            if (service.equals(PipelineService.ENRICHMENT.serviceName())) {
                results.figure("enrichment_ratio", Math.round(1000 * warm / ceiling) / 1000.0);
            } else if (service.equals(PipelineService.SHIPMENT_JOIN.serviceName())) {
                results.figure("join_ratio", Math.round(1000 * warm / ceiling) / 1000.0);
            }
            long heap = heapMegabytes(process);
            results.heap(heap);
            results.add(service + " heap after replay", heap + " MB used of 256 MB");
        } finally {
            process.stop();
        }
    }

    /** When the first, the warm-up share and the {@code count}-th record were seen on {@code topic}. */
    private Span topicSpan(String topic, int count) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(engines.kafkaBootstrapServers(), "bench-count-" + topic)) {
            consumer.subscribe(List.of(topic));
            Span span = new Span();
            int seen = 0;
            long deadline = System.nanoTime() + STAGE_TIMEOUT.toNanos();
            while (seen < count) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(topic + " reached only " + seen + " of " + count + " records");
                }
                seen += consumer.poll(Duration.ofMillis(50)).count();
                span.mark(seen, count);
            }
            return span;
        }
    }

    private static final Pattern INDEXED = Pattern.compile("pipeline_es_documents_indexed_total\\{[^}]*} ([0-9.E]+)");

    private Span indexedSpan(ServiceProcess sink, int count) throws InterruptedException {
        Span span = new Span();
        long deadline = System.nanoTime() + STAGE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = INDEXED.matcher(HttpProbe.get("http://127.0.0.1:" + sink.httpPort() + "/metrics").body());
            span.mark(m.find() ? (long) Double.parseDouble(m.group(1)) : 0, count);
            if (span.complete()) {
                return span;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("es-sink-service did not index " + count + " documents");
    }
}
