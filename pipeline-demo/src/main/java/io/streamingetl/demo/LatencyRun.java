package io.streamingetl.demo;

import static io.streamingetl.demo.BenchmarkClients.heapMegabytes;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingetl.contract.Topics;
import io.streamingetl.essink.ShippedOrderDocument.Field;
import io.streamingetl.localstack.EmbeddedEngines;
import io.streamingetl.localstack.Eventually;
import io.streamingetl.localstack.HttpProbe;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whole-pipeline latency at a steady rate: the demo's pipeline on its own engines, a load of changes written to
 * the databases at the asked rate, and for each change the time from its commit to each topic it reaches and
 * to its document being visible (Elasticsearch's real-time GET); a warm-up is left out of the figures.
 */
final class LatencyRun {
    /** The shipments the join re-keyed by order id, as Kafka Streams names the topic for the demo's application id. */
    private static final String JOIN_REPARTITION = "shipment-join-service-shipments-by-order-id-repartition";
    /** The first seconds of the run, left out of its figures: the JIT is still compiling everything. */
    private static final Duration WARM_UP = Duration.ofSeconds(10);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final Path workDir;
    private final int rate;
    private final int seconds;
    private final BenchmarkResults results;

    LatencyRun(Path root, Path workDir, int rate, int seconds, BenchmarkResults results) {
        this.root = root;
        this.workDir = workDir;
        this.rate = rate;
        this.seconds = seconds;
        this.results = results;
    }

    /** Loads changes at the asked rate into the whole demo pipeline and times each hop of each change. */
    void run() throws Exception {
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
                results.add("load during the latency run", String.format("%,d changes at %,.0f changes/s (asked %d), the first %d s a warm-up",
                        changes.size(), achieved, rate, WARM_UP.toSeconds()));
                results.add("shipment commit -> document visible (real-time GET), p50 / p99 / max", Latencies.figures(shipped, shippedAt, visibleAt::get)
                        + String.format(" over %,d shipments after the warm-up (%d never seen)", shipped.size(), pending.size()));
                results.add("  the same including the warm-up (the JIT compiling engines and services)",
                        Latencies.figures(visibleAt.keySet(), shippedAt, visibleAt::get));
                results.add("  shipment commit -> on " + Topics.SHIPMENTS.name() + " (logistics-cdc)",
                        Latencies.figures(shipped, shippedAt, id -> arrivals.firstSeen(Topics.SHIPMENTS.name(), shipmentOf.get(id))));
                results.add("  shipment commit -> on the join's repartition topic",
                        Latencies.figures(shipped, shippedAt, id -> arrivals.firstSeen(JOIN_REPARTITION, id)));
                results.add("  shipment commit -> on " + Topics.SHIPPED_ORDERS.name() + " (shipment-join-service)",
                        Latencies.figures(shipped, shippedAt, id -> arrivals.firstSeen(Topics.SHIPPED_ORDERS.name(), id)));
                results.add("order commit -> on " + Topics.ORDERS.name() + " (logistics-cdc)",
                        Latencies.figures(ordered, orderedAt, id -> arrivals.firstSeen(Topics.ORDERS.name(), id)));
                results.add("order commit -> on " + Topics.ENRICHED_ORDERS.name() + " (enrichment-service)",
                        Latencies.figures(ordered, orderedAt, id -> arrivals.firstSeen(Topics.ENRICHED_ORDERS.name(), id)));
                long expected = load.expectedDocuments().size();
                long indexed = Eventually.await(() -> {
                    HttpProbe.get(engines.elasticsearchUrl() + "/shipped_orders/_refresh");
                    return Long.parseLong(HttpProbe.get(engines.elasticsearchUrl() + "/shipped_orders/_count").body()
                            .replaceAll(".*\"count\":(\\d+).*", "$1"));
                }, n -> n == expected, Duration.ofMinutes(1), Duration.ofSeconds(1));
                results.add("documents in the index after the latency run", indexed + " of " + expected + " expected");
                for (String service : PipelineDemo.SERVICES) {
                    results.add(service + " heap after the latency run", heapMegabytes(demo.service(service)) + " MB used of 256 MB");
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
                                && doc.path("_source").path(Field.SHIPMENT_ID.name()).asText().equals(shipmentOf.get(id))) {
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
}
