package io.streamingetl.harness;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.EventTime;
import io.streamingetl.contract.ShippedOrderDocument;
import io.streamingetl.localstack.PostgresEndpoint;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.LongConsumer;
import org.bson.Document;

/**
 * A realistic, reproducible load for the pipeline's databases: customers, their orders (several each, with
 * event times spread over weeks) and the orders' shipments (most within days of the order, a few arriving
 * before it), plus orders never shipped and shipments of unknown orders. It also computes, independently
 * of the pipeline, the documents the index must end with.
 *
 * <p>Every order has at most one shipment within the window, so the final document of each order is
 * determined by the inputs alone. Event times rise with the order of insertion. Their pace matters: the
 * join counts a record as late once stream time is more than window plus grace (8 days) ahead of it, so
 * a load that packs days of event time into each wall-clock second turns a few seconds of a service's
 * lag (a crash, a restart) into late records; a realistic pace (event time near wall-clock time) does not.
 */
public final class LoadGenerator {
    private static final Instant START = Instant.parse("2020-01-01T00:00:00Z");
    private static final String[] CURRENCIES = {"usd", "eur", "aud", "gbp"};
    private static final String[] ORIGINS = {"iowa", "texas", "maine", "florida", "california", "new jersey", "ohio"};

    public record Customer(String id, String name, int age) {
    }

    /** One insert into MongoDB: a document of {@code orders} or {@code shipments}. */
    public record Change(String collection, Map<String, Object> document) {
    }

    private final List<Customer> customers = new ArrayList<>();
    private final List<Change> changes = new ArrayList<>();
    private final Map<String, Map<String, Object>> expected = new LinkedHashMap<>();
    /** The most changes one paced insert round takes: a backlog of due changes goes in several rounds. */
    private static final int MAX_BATCH = 500;
    private final Random random;
    private final Duration orderSpacing;
    private final Duration maxShipmentDelay;
    private int ordersMade;

    /**
     * {@code orders} orders over {@code orders / 4} customers, one every {@code orderSpacing} of event time;
     * about 1.1 logistics changes per order besides.
     */
    public LoadGenerator(int orders, Duration orderSpacing, long seed) {
        this(orders, orderSpacing, Duration.ofDays(3), seed);
    }

    /** As above, each shipment up to {@code maxShipmentDelay} after its order in event time. */
    public LoadGenerator(int orders, Duration orderSpacing, Duration maxShipmentDelay, long seed) {
        this.random = new Random(seed);
        this.orderSpacing = orderSpacing;
        this.maxShipmentDelay = maxShipmentDelay;
        int customerCount = Math.max(1, orders / 4);
        for (int c = 0; c < customerCount; c++) {
            customers.add(new Customer("c" + c, "customer-" + c, 18 + random.nextInt(70)));
        }
        addOrders(orders);
    }

    /**
     * {@code count} more orders after the last, with their shipments, for the same customers: a load that goes on
     * (the benchmark's steps until capacity). The shipments still pending at the last order come last.
     */
    public void addOrders(int count) {
        List<Change> pendingShipments = new ArrayList<>();
        int until = ordersMade + count;
        for (int o = ordersMade; o < until; o++) {
            Customer customer = customers.get(random.nextInt(customers.size()));
            Instant orderTime = START.plus(orderSpacing.multipliedBy(o));
            String orderId = "o" + o;
            double price = Math.round(random.nextDouble() * 100_000) / 100.0;
            String currency = CURRENCIES[random.nextInt(CURRENCIES.length)];
            Map<String, Object> order = document("order_id", orderId, "customer_id", customer.id(), "price", price,
                    "currency", currency, "ts", EventTime.format(orderTime));
            boolean shipped = random.nextInt(10) != 0;
            Change shipment = null;
            if (shipped) {
                String shipmentId = "s" + o;
                String origin = ORIGINS[random.nextInt(ORIGINS.length)];
                Instant shipTime = orderTime.plusMillis((long) (random.nextDouble() * maxShipmentDelay.toMillis()));
                shipment = new Change("shipments", document("order_id", orderId, "shipment_id", shipmentId,
                        "origin", origin, "ts", EventTime.format(shipTime)));
                expected.put(orderId, ShippedOrderDocument.of(new ShippedOrder(orderId, shipmentId, customer.id(),
                        customer.name(), customer.age(), origin, price, currency)));
            }
            if (shipment != null && random.nextInt(20) == 0) {
                changes.add(shipment);       // a shipment captured before its order
                changes.add(new Change("orders", order));
            } else {
                changes.add(new Change("orders", order));
                if (shipment != null) {
                    pendingShipments.add(shipment);
                }
            }
            // Shipments follow their orders a little later, interleaved with newer orders.
            while (pendingShipments.size() > 3 || (!pendingShipments.isEmpty() && random.nextBoolean())) {
                changes.add(pendingShipments.remove(0));
            }
            if (random.nextInt(50) == 0) {
                changes.add(new Change("shipments", document("order_id", "unknown-" + o, "shipment_id", "x" + o,
                        "origin", "nowhere", "ts", EventTime.format(orderTime))));
            }
        }
        ordersMade = until;
        changes.addAll(pendingShipments);
    }

    private static Map<String, Object> document(Object... keyValues) {
        Map<String, Object> d = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) {
            d.put((String) keyValues[i], keyValues[i + 1]);
        }
        return d;
    }

    public int customerCount() {
        return customers.size();
    }

    public List<String> customerIds() {
        return customers.stream().map(Customer::id).toList();
    }

    public List<Change> changes() {
        return Collections.unmodifiableList(changes);
    }

    /** Customers plus logistics changes: every insert the load makes. */
    public int totalChanges() {
        return customers.size() + changes.size();
    }

    /** The index's documents at the end, by order id, computed from the inputs alone. */
    public Map<String, Map<String, Object>> expectedDocuments() {
        return Collections.unmodifiableMap(expected);
    }

    /** Inserts every customer, in batches of 500. */
    public void writeCustomers(PostgresEndpoint postgres, String database, String user, String password)
            throws SQLException {
        try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(database), user, password);
             PreparedStatement insert = c.prepareStatement("INSERT INTO customers (id, name, age) VALUES (?, ?, ?)")) {
            int n = 0;
            for (Customer customer : customers) {
                insert.setString(1, customer.id());
                insert.setString(2, customer.name());
                insert.setInt(3, customer.age());
                insert.addBatch();
                if (++n % 500 == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
    }

    /**
     * Inserts the logistics changes in order at about {@code perSecond} (0: as fast as MongoDB takes them), the
     * changes due together as one insert per collection (a shipment meant to precede its order still does), telling {@code afterEach} the index of each change once MongoDB acknowledged it; says so when
     * it fell short of the pace, and returns the pace it held (changes per second).
     */
    public double writeLogistics(MongoClient mongo, int perSecond, LongConsumer afterEach) throws InterruptedException {
        return writeLogistics(mongo, 0, changes.size(), perSecond, afterEach);
    }

    /** Into {@code logistics}, the MongoDB database of a pipeline of other names ({@link PipelineNames}), as above. */
    public double writeLogistics(MongoDatabase logistics, int perSecond, LongConsumer afterEach) throws InterruptedException {
        return writeLogistics(logistics, 0, changes.size(), perSecond, afterEach);
    }

    /**
     * Where a batch of the changes due by {@code dueBy} that starts at {@code start} ends (exclusive): at most
     * {@link #MAX_BATCH} of them, and before an order whose shipment is already in the batch, since the batch
     * inserts its orders first and that shipment is meant to come before its order.
     */
    int dueBatchEnd(int start, int to, long dueBy) {
        Set<Object> shippedInBatch = new HashSet<>();
        int end = start;
        while (end < to && (end == start || (end <= dueBy && end - start < MAX_BATCH))) {
            Change change = changes.get(end);
            Object orderId = change.document().get("order_id");
            if (change.collection().equals("orders") && shippedInBatch.contains(orderId)) {
                break;
            }
            if (change.collection().equals("shipments")) {
                shippedInBatch.add(orderId);
            }
            end++;
        }
        return end;
    }

    /** Changes {@code from} (inclusive) to {@code to} (exclusive) at {@code perSecond}, as above. */
    public double writeLogistics(MongoClient mongo, int from, int to, int perSecond, LongConsumer afterEach)
            throws InterruptedException {
        return writeLogistics(mongo.getDatabase(PipelineNames.LOGISTICS_DATABASE), from, to, perSecond, afterEach);
    }

    private double writeLogistics(MongoDatabase logistics, int from, int to, int perSecond, LongConsumer afterEach)
            throws InterruptedException {
        MongoCollection<Document> orders = logistics.getCollection("orders");
        MongoCollection<Document> shipments = logistics.getCollection("shipments");
        long started = System.nanoTime();
        long inserting = 0;
        int inserts = 0;
        int i = from;
        while (i < to) {
            long dueBy = Long.MAX_VALUE;
            if (perSecond > 0) {
                long wait = started + (i - from) * 1_000_000_000L / perSecond - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                dueBy = from + (System.nanoTime() - started) * perSecond / 1_000_000_000L;
            }
            int end = dueBatchEnd(i, to, dueBy);
            // The changes due by now go as one insert per collection, orders first, so the pace holds even when an
            // insert takes longer than the time between two changes.
            List<Change> due = changes.subList(i, end);
            for (String collection : List.of("orders", "shipments")) {
                List<Document> documents = due.stream().filter(c -> c.collection().equals(collection))
                        .map(c -> new Document(c.document())).toList();
                if (!documents.isEmpty()) {
                    long insertStart = System.nanoTime();
                    (collection.equals("orders") ? orders : shipments).insertMany(documents);
                    inserting += System.nanoTime() - insertStart;
                    inserts++;
                }
            }
            for (int done = i; done < end; done++) {
                afterEach.accept(done);
            }
            i = end;
        }
        long elapsed = System.nanoTime() - started;
        double held = (to - from) * 1e9 / Math.max(elapsed, 1);
        // A pace not held is a load not applied: the figures measured under it belong to the lower rate.
        if (perSecond > 0 && held < 0.99 * perSecond) {
            LocalPipeline.say(String.format("load generator: asked %,d changes/s, held %,.0f (%.0f%% short); %,d inserts took "
                    + "%.0f%% of the %.1f s, %.2f ms each", perSecond, held, 100 * (1 - held / perSecond), inserts,
                    100.0 * inserting / elapsed, elapsed / 1e9, inserting / 1e6 / Math.max(inserts, 1)));
        }
        return held;
    }
}
