package io.streamingetl.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingetl.avro.Customer;
import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.Order;
import io.streamingetl.avro.Shipment;
import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.EventTime;
import io.streamingetl.contract.Topics;
import io.streamingetl.localstack.Directories;
import io.streamingetl.localstack.EmbeddedEngines;
import io.streamingetl.localstack.Eventually;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.runtime.TopicAdmin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The pipeline's figures on this machine, in one run: the engines' start-up, the raw Kafka ceiling, each
 * stage's throughput on a pre-filled topic (the real service jar as a process, replaying), whole-pipeline
 * latency from database commit to document visible at a steady rate, and each service's heap. Run it with
 * {@code ./benchmark.sh [orders] [changes-per-second] [seconds]}; it prints a table.
 */
public final class PipelineBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The shipments the join re-keyed by order id, as Kafka Streams names the topic for the demo's application id. */
    private static final String JOIN_REPARTITION = "shipment-join-service-shipments-by-order-id-repartition";
    /** The share of a replay's output left out of its steady rate: a service starts cold, compiling as it goes. */
    private static final double WARM_UP_SHARE = 0.2;
    /** The first seconds of the latency run, left out of its figures: the JIT is still compiling everything. */
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final Duration STAGE_TIMEOUT = Duration.ofMinutes(10);

    private final int records;
    private final int rate;
    private final int seconds;
    private final Path workDir;
    private final Map<String, String> results = new LinkedHashMap<>();
    private double ceiling;

    private PipelineBenchmark(int records, int rate, int seconds, Path workDir) {
        this.records = records;
        this.rate = rate;
        this.seconds = seconds;
        this.workDir = workDir;
    }

    public static void main(String[] args) throws Exception {
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        int seconds = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        Path root = Path.of(System.getProperty("demo.root", ".")).toAbsolutePath().normalize();
        Path workDir = root.resolve(".benchmark");
        Directories.deleteRecursively(workDir);
        Files.createDirectories(workDir);
        new PipelineBenchmark(records, rate, seconds, workDir).run(root);
        System.exit(0);
    }

    private void result(String what, String figure) {
        results.put(what, figure);
        PipelineDemo.say(what + ": " + figure);
    }

    private void run(Path root) throws Exception {
        PipelineDemo.say("benchmark: " + records + " records per stage replay; latency at " + rate + " changes/s for "
                + seconds + " s; " + Runtime.getRuntime().availableProcessors() + " cores");
        try (EmbeddedEngines engines = new EmbeddedEngines(EmbeddedEngines.Ports.FREE, workDir.resolve("replay-data"))) {
            long start = System.nanoTime();
            engines.kafkaBootstrapServers();
            engines.postgres();
            engines.mongoConnectionString();
            engines.elasticsearchUrl();
            result("local stack start-up (Kafka, Postgres, MongoDB stand-in, Elasticsearch)", millis(start) + " ms");
            if (records > 0) {
                measureCeiling(engines);
                measureReplays(engines, root);
            }
        }
        if (seconds > 0) {
            measureLatency(root);
        }
        printTable();
    }

    // ---- raw Kafka ----

    private void measureCeiling(EmbeddedEngines engines) throws Exception {
        String bootstrap = engines.kafkaBootstrapServers();
        TopicAdmin.ensureTopics(bootstrap, List.of("bench.raw.in", "bench.raw.out"), 3, (short) 1);
        byte[] value = Topics.ORDERS.serializeValue(new Order("o123456", "c1234", 1234.56, "usd", "2020-04-03T11:20:00"));
        long start = System.nanoTime();
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, 5)) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>("bench.raw.in", ("o" + i).getBytes(StandardCharsets.UTF_8), value));
            }
            producer.flush();
        }
        result("raw Kafka produce (" + value.length + "-byte values, acks=all)", perSecond(records, start));
        long[] span = new long[3];
        int piped = 0;
        // Batching as Kafka Streams' producers batch (linger.ms=100), clocked as the services are.
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, "bench-pipe");
             KafkaProducer<byte[], byte[]> producer = producer(bootstrap, 100)) {
            consumer.subscribe(List.of("bench.raw.in"));
            while (piped < records) {
                for (ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    producer.send(new ProducerRecord<>("bench.raw.out", r.key(), r.value()));
                    piped++;
                }
                consumer.commitAsync();
                mark(span, piped, records);
            }
            producer.flush();
            mark(span, piped, records);
        }
        ceiling = records * (1 - WARM_UP_SHARE) * 1e9 / (System.nanoTime() - span[1]);
        result("raw Kafka consume+produce (the ceiling), after the first 20%", String.format("%,.0f records/s", ceiling));
    }

    // ---- stage replays ----

    private void measureReplays(EmbeddedEngines engines, Path root) throws Exception {
        String bootstrap = engines.kafkaBootstrapServers();
        List<String> inputs = List.of("bench.customers", "bench.orders", "bench.enriched", "bench.shipments", "bench.shipped");
        TopicAdmin.ensureTopics(bootstrap, inputs, 3, (short) 1);
        int customers = Math.max(1, records / 4);
        try (KafkaProducer<byte[], byte[]> producer = producer(bootstrap, 5)) {
            for (int c = 0; c < customers; c++) {
                send(producer, "bench.customers", "c" + c, Topics.CUSTOMERS.serializeValue(
                        new Customer("c" + c, "customer-" + c, 30)), null);
            }
            for (int o = 0; o < records; o++) {
                String ts = EventTime.format(Instant.parse("2020-01-01T00:00:00Z").plusSeconds(60L * o));
                String customer = "c" + (o % customers);
                send(producer, "bench.orders", "o" + o, Topics.ORDERS.serializeValue(
                        new Order("o" + o, customer, 10.5, "usd", ts)), ts);
                send(producer, "bench.enriched", "o" + o, Topics.ENRICHED_ORDERS.serializeValue(
                        new EnrichedOrder("o" + o, customer, "customer", 30, 10.5, "usd", ts)), ts);
                send(producer, "bench.shipments", "s" + o, Topics.SHIPMENTS.serializeValue(
                        new Shipment("s" + o, "o" + o, "iowa", ts)), ts);
                send(producer, "bench.shipped", "o" + o, Topics.SHIPPED_ORDERS.serializeValue(
                        new ShippedOrder("o" + o, "s" + o, customer, "customer", 30, "iowa", 10.5, "usd")), null);
            }
            producer.flush();
        }

        replay(root, "enrichment-service", Map.of("CUSTOMERS_TOPIC", "bench.customers", "ORDERS_TOPIC", "bench.orders",
                "ENRICHED_ORDERS_TOPIC", "bench.enriched.out"), engines, "bench.enriched.out", records, records);
        // A replay of history from an empty join, as docs/design.md says to run one: with a grace period that
        // covers the span of the replayed event times (one order a minute here).
        replay(root, "shipment-join-service", Map.of("ENRICHED_ORDERS_TOPIC", "bench.enriched",
                "SHIPMENTS_TOPIC", "bench.shipments", "SHIPPED_ORDERS_TOPIC", "bench.shipped.out",
                "JOIN_GRACE", (records / (24 * 60) + 1) + "d"),
                engines, "bench.shipped.out", records, 2 * records);
        replay(root, "es-sink-service", Map.of("SHIPPED_ORDERS_TOPIC", "bench.shipped", "ES_INDEX", "bench_shipped"),
                engines, null, records, records);

        engines.postgres().createDatabase("bench", PipelineDemo.DB_USER, PipelineDemo.DB_PASSWORD);
        engines.postgres().execute("bench", PipelineDemo.DB_USER, PipelineDemo.DB_PASSWORD,
                "CREATE TABLE customers (id TEXT PRIMARY KEY, name TEXT, age INT)",
                "INSERT INTO customers SELECT 'c' || g, 'customer-' || g, 30 FROM generate_series(1, " + records + ") g");
        replay(root, "customers-cdc", Map.of("POSTGRES_DB", "bench", "CUSTOMERS_TOPIC", "bench.customers.out",
                "SLOT_NAME", "bench_slot", "PUBLICATION_NAME", "bench_publication"), engines, "bench.customers.out",
                records, records);

        var orders = com.mongodb.client.MongoClients.create(engines.mongoConnectionString());
        List<org.bson.Document> documents = new ArrayList<>();
        for (int o = 0; o < records; o++) {
            documents.add(new org.bson.Document(Map.of("order_id", "o" + o, "customer_id", "c1", "price", 10.5,
                    "currency", "usd", "ts", "2020-04-03T11:20:00")));
        }
        orders.getDatabase("bench").getCollection("orders").insertMany(documents);
        orders.close();
        replay(root, "logistics-cdc", Map.of("ORDERS_COLLECTION", "bench.orders", "SHIPMENTS_COLLECTION", "bench.shipments",
                "ORDERS_TOPIC", "bench.orders.out", "SHIPMENTS_TOPIC", "bench.shipments.out"), engines,
                "bench.orders.out", records, records);
    }

    /**
     * Starts the service's jar on pre-filled input and times its output from the first record to the last,
     * and from the {@link #WARM_UP_SHARE} to the last; the rate is of input records, so the join's two
     * inputs count twice as in the ceiling.
     */
    private void replay(Path root, String service, Map<String, String> topics, EmbeddedEngines engines, String outputTopic,
                        int outputs, int inputs) throws Exception {
        String only = System.getenv("BENCHMARK_STAGES");
        if (only != null && !List.of(only.split(",")).contains(service)) {
            return;
        }
        Map<String, String> env = new LinkedHashMap<>(topics);
        env.put("KAFKA_BOOTSTRAP_SERVERS", engines.kafkaBootstrapServers());
        env.put("APPLICATION_ID", "bench-" + service);
        env.put("GROUP_ID", "bench-" + service);
        env.put("OFFSETS_TOPIC", "bench-" + service + "-offsets");
        env.put("STATE_DIR", workDir.resolve("state-" + service).toString());
        env.put("POSTGRES_HOST", "127.0.0.1");
        env.put("POSTGRES_PORT", Integer.toString(engines.postgres().port()));
        env.put("MONGO_URI", engines.mongoConnectionString());
        env.put("ES_URL", engines.elasticsearchUrl());
        env.put("TOPIC_PREFIX", "bench-" + service);
        if (outputTopic != null) {
            TopicAdmin.ensureTopics(engines.kafkaBootstrapServers(), List.of(outputTopic), 3, (short) 1);
        }
        ServiceProcess process = new ServiceProcess(service, root.resolve(service).resolve("target").resolve(service + ".jar"),
                env, io.streamingetl.localstack.FreePorts.next(), workDir.resolve("logs"));
        process.start();
        try {
            long[] span = outputTopic == null ? indexedSpan(engines, process, outputs) : topicSpan(engines, outputTopic, outputs);
            double whole = inputs / Math.max((span[2] - span[0]) / 1e9, 1e-3);
            double warm = inputs * (1 - WARM_UP_SHARE) / Math.max((span[2] - span[1]) / 1e9, 1e-3);
            result(service + " replay (" + inputs + " input records)", String.format(
                    "%,.0f records/s = %.0f%% of the ceiling after the first %.0f%% (warm-up); %,.0f records/s = %.0f%% overall",
                    warm, 100 * warm / ceiling, 100 * WARM_UP_SHARE, whole, 100 * whole / ceiling));
            result(service + " heap after replay", heapMegabytes(process) + " MB used of 256 MB");
        } finally {
            process.stop();
        }
    }

    /** Nanos when the first, the {@link #WARM_UP_SHARE} and the {@code count}-th record were seen on {@code topic}. */
    private static long[] topicSpan(EmbeddedEngines engines, String topic, int count) {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(engines.kafkaBootstrapServers(), "bench-count-" + topic)) {
            consumer.subscribe(List.of(topic));
            long[] span = new long[3];
            int seen = 0;
            long deadline = System.nanoTime() + STAGE_TIMEOUT.toNanos();
            while (seen < count) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(topic + " reached only " + seen + " of " + count + " records");
                }
                seen += consumer.poll(Duration.ofMillis(50)).count();
                mark(span, seen, count);
            }
            return span;
        }
    }

    private static final Pattern INDEXED = Pattern.compile("pipeline_es_documents_indexed_total\\{[^}]*} ([0-9.E]+)");

    private static long[] indexedSpan(EmbeddedEngines engines, ServiceProcess sink, int count) throws InterruptedException {
        long[] span = new long[3];
        long deadline = System.nanoTime() + STAGE_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = INDEXED.matcher(HttpProbe.get("http://127.0.0.1:" + sink.httpPort() + "/metrics").body());
            mark(span, m.find() ? (long) Double.parseDouble(m.group(1)) : 0, count);
            if (span[2] > 0) {
                return span;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("es-sink-service did not index " + count + " documents");
    }

    private static void mark(long[] span, long seen, int count) {
        long now = System.nanoTime();
        if (seen > 0 && span[0] == 0) {
            span[0] = now;
        }
        if (seen >= count * WARM_UP_SHARE && span[1] == 0) {
            span[1] = now;
        }
        if (seen >= count && span[2] == 0) {
            span[2] = now;
        }
    }

    private static final Pattern HEAP = Pattern.compile("jvm_memory_used_bytes\\{area=\"heap\"[^}]*} ([0-9.E]+)");

    private static long heapMegabytes(ServiceProcess service) {
        Matcher m = HEAP.matcher(HttpProbe.get("http://127.0.0.1:" + service.httpPort() + "/metrics").body());
        double bytes = 0;
        while (m.find()) {
            bytes += Double.parseDouble(m.group(1));
        }
        return Math.round(bytes / (1024 * 1024));
    }

    // ---- latency ----

    private void measureLatency(Path root) throws Exception {
        int orders = rate * (seconds + (int) WARM_UP.toSeconds()) / 2;
        // Event time keeps pace with wall-clock time, as captured changes do: the join processes both inputs
        // in timestamp order, so a shipment stamped days ahead would wait for days of orders before it.
        Duration spacing = Duration.ofNanos((long) (2.1e9 / rate));
        LoadGenerator load = new LoadGenerator(orders, spacing, spacing.multipliedBy(5), 7);
        Path dir = workDir.resolve("latency");
        try (EmbeddedEngines engines = new EmbeddedEngines(EmbeddedEngines.Ports.FREE, dir.resolve("data"))) {
            PipelineDemo demo = PipelineDemo.start(engines, new PipelineDemo.Options(root, dir, 0, 3));
            try {
                load.writeCustomers(engines.postgres(), PipelineDemo.DATABASE, PipelineDemo.DB_USER, PipelineDemo.DB_PASSWORD);
                demo.awaitCount(Topics.CUSTOMERS.name(), load.customerCount(), Duration.ofMinutes(2));
                Thread.sleep(2000);
                Set<String> pending = ConcurrentHashMap.newKeySet();
                Map<String, Long> shippedAt = new ConcurrentHashMap<>();
                Map<String, Long> orderedAt = new ConcurrentHashMap<>();
                Map<String, String> shipmentOf = new ConcurrentHashMap<>();
                Map<String, Long> visibleAt = new ConcurrentHashMap<>();
                AtomicBoolean loading = new AtomicBoolean(true);
                Thread watcher = new Thread(() -> watch(engines.elasticsearchUrl(), pending, shipmentOf, visibleAt, loading));
                watcher.start();
                List<LoadGenerator.Change> changes = load.changes();
                TopicArrivals arrivals = new TopicArrivals(engines.kafkaBootstrapServers(),
                        List.of(Topics.ORDERS.name(), Topics.ENRICHED_ORDERS.name(), Topics.SHIPMENTS.name(), JOIN_REPARTITION,
                                Topics.SHIPPED_ORDERS.name()));
                long start = System.nanoTime();
                load.writeLogistics(demo.mongo(), rate, i -> {
                    LoadGenerator.Change change = changes.get((int) i);
                    String orderId = (String) change.document().get("order_id");
                    long now = System.nanoTime();
                    if (change.collection().equals("orders")) {
                        orderedAt.putIfAbsent(orderId, now);
                    } else if (orderedAt.containsKey(orderId) && load.expectedDocuments().containsKey(orderId)) {
                        shipmentOf.put(orderId, (String) change.document().get("shipment_id"));
                        shippedAt.put(orderId, now);
                        pending.add(orderId);
                    }
                });
                double achieved = changes.size() * 1e9 / (System.nanoTime() - start);
                long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (!pending.isEmpty() && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                loading.set(false);
                watcher.join();
                arrivals.close();

                long warm = start + WARM_UP.toNanos();
                List<String> shipped = visibleAt.keySet().stream().filter(id -> shippedAt.get(id) >= warm).toList();
                List<String> ordered = orderedAt.keySet().stream().filter(id -> orderedAt.get(id) >= warm).toList();
                result("load during the latency run", String.format("%,d changes at %,.0f changes/s (asked %d), the first %d s a warm-up",
                        changes.size(), achieved, rate, WARM_UP.toSeconds()));
                result("shipment commit -> document visible (real-time GET), p50 / p99 / max", latencyFigures(shipped, shippedAt, visibleAt::get)
                        + String.format(" over %,d shipments after the warm-up (%d never seen)", shipped.size(), pending.size()));
                result("  the same including the warm-up (the JIT compiling engines and services)",
                        latencyFigures(visibleAt.keySet(), shippedAt, visibleAt::get));
                result("  shipment commit -> on " + Topics.SHIPMENTS.name() + " (logistics-cdc)",
                        latencyFigures(shipped, shippedAt, id -> arrivals.firstSeen(Topics.SHIPMENTS.name(), shipmentOf.get(id))));
                result("  shipment commit -> on the join's repartition topic",
                        latencyFigures(shipped, shippedAt, id -> arrivals.firstSeen(JOIN_REPARTITION, id)));
                result("  shipment commit -> on " + Topics.SHIPPED_ORDERS.name() + " (shipment-join-service)",
                        latencyFigures(shipped, shippedAt, id -> arrivals.firstSeen(Topics.SHIPPED_ORDERS.name(), id)));
                result("order commit -> on " + Topics.ORDERS.name() + " (logistics-cdc)",
                        latencyFigures(ordered, orderedAt, id -> arrivals.firstSeen(Topics.ORDERS.name(), id)));
                result("order commit -> on " + Topics.ENRICHED_ORDERS.name() + " (enrichment-service)",
                        latencyFigures(ordered, orderedAt, id -> arrivals.firstSeen(Topics.ENRICHED_ORDERS.name(), id)));
                long expected = load.expectedDocuments().size();
                long indexed = Eventually.await(() -> {
                    HttpProbe.get(engines.elasticsearchUrl() + "/shipped_orders/_refresh");
                    return Long.parseLong(HttpProbe.get(engines.elasticsearchUrl() + "/shipped_orders/_count").body()
                            .replaceAll(".*\"count\":(\\d+).*", "$1"));
                }, n -> n == expected, Duration.ofMinutes(1), Duration.ofSeconds(1));
                result("documents in the index after the latency run", indexed + " of " + expected + " expected");
                for (String service : PipelineDemo.SERVICES) {
                    result(service + " heap after the latency run", heapMegabytes(demo.service(service)) + " MB used of 256 MB");
                }
            } finally {
                demo.close();
            }
        }
    }

    /** Polls Elasticsearch's real-time GET for the pending orders; a hit with the awaited shipment ends its clock. */
    private static void watch(String url, Set<String> pending, Map<String, String> shipmentOf,
                              Map<String, Long> visibleAt, AtomicBoolean loading) {
        HttpClient client = HttpClient.newHttpClient();
        while (loading.get()) {
            try {
                List<String> ids = new ArrayList<>(pending);
                if (ids.isEmpty()) {
                    Thread.sleep(10);
                    continue;
                }
                String body = JSON.writeValueAsString(Map.of("ids", ids));
                HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(url + "/shipped_orders/_mget"))
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                long now = System.nanoTime();
                if (response.statusCode() == 200) {
                    for (JsonNode doc : JSON.readTree(response.body()).path("docs")) {
                        String id = doc.path("_id").asText();
                        if (pending.contains(id) && doc.path("found").asBoolean()
                                && doc.path("_source").path("SHIPMENT_ID").asText().equals(shipmentOf.get(id))) {
                            visibleAt.put(id, now);
                            pending.remove(id);
                        }
                    }
                }
                Thread.sleep(10);
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // Elasticsearch busy: ask again
            }
        }
    }

    /** p50 / p99 / max in ms of {@code reachedAt(id) - committedAt(id)} over the ids that reached it. */
    private static String latencyFigures(Collection<String> ids, Map<String, Long> committedAt,
                                         Function<String, Long> reachedAt) {
        List<Long> sorted = new ArrayList<>();
        for (String id : ids) {
            Long at = reachedAt.apply(id);
            if (at != null) {
                sorted.add((at - committedAt.get(id)) / 1_000_000);
            }
        }
        if (sorted.isEmpty()) {
            return "no samples";
        }
        Collections.sort(sorted);
        return String.format("%d / %d / %d ms", percentile(sorted, 50), percentile(sorted, 99), sorted.get(sorted.size() - 1));
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }

    // ---- helpers ----

    private void printTable() {
        System.out.println();
        System.out.println("| measure | figure |");
        System.out.println("|---|---|");
        results.forEach((what, figure) -> System.out.println("| " + what + " | " + figure + " |"));
    }

    private static void send(KafkaProducer<byte[], byte[]> producer, String topic, String key, byte[] value, String ts) {
        producer.send(new ProducerRecord<>(topic, null, ts == null ? null : EventTime.toEpochMillis(ts),
                key.getBytes(StandardCharsets.UTF_8), value));
    }

    private static KafkaProducer<byte[], byte[]> producer(String bootstrap, int lingerMs) {
        return new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, lingerMs), new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static KafkaConsumer<byte[], byte[]> consumer(String bootstrap, String group) {
        return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                ConsumerConfig.GROUP_ID_CONFIG, group, ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed"), new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static long millis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static String perSecond(int count, long startNanos) {
        return String.format("%,.0f records/s", count * 1e9 / (System.nanoTime() - startNanos));
    }
}
