package io.streamingetl.benchmark;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.EventTime;
import io.streamingetl.contract.ShippedOrderDocument;
import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.localstack.PostgresEndpoint;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.bson.Document;

/**
 * The sources of a first day at scale, made before the pipeline starts: {@code customers} rows in Postgres and
 * {@code orders} orders in MongoDB, nine in ten with a shipment, each value a function of the order's number, so the
 * documents the index must end with are known without holding them ({@link #expected}). Orders span
 * {@link #ORDERS_SPAN} of event time ending {@link #SHIPPING_SPAN} before the fill, shipments follow within
 * {@code SHIPPING_SPAN}: every record lies within the join's window and grace (7 days and 1) of the live load's event
 * time, so the join pairs them all with its default settings (an older history needs {@code JOIN_GRACE} at its span:
 * docs/design.md, "Replaying history"). A hundred customers more ({@code live-c0}..) are the live load's.
 */
final class BackfillData {
    static final Duration ORDERS_SPAN = Duration.ofDays(4);
    static final Duration SHIPPING_SPAN = Duration.ofDays(3);
    static final int LIVE_CUSTOMERS = 100;
    private static final String[] CURRENCIES = {"usd", "eur", "aud", "gbp"};
    private static final String[] ORIGINS = {"iowa", "texas", "maine", "florida", "california", "new jersey", "ohio"};
    private static final int BATCH = 5_000;

    private final int customers;
    private final int orders;
    private final Instant end;

    /** @param end when the history ends: the fill's time, as live changes come after it */
    BackfillData(int customers, int orders, Instant end) {
        if (customers < 1 || orders < 1) {
            throw new IllegalArgumentException("at least one customer and one order, not " + customers + " and " + orders);
        }
        this.customers = customers;
        this.orders = orders;
        this.end = end;
    }

    int customers() {
        return customers;
    }

    int orders() {
        return orders;
    }

    static String orderId(int o) {
        return "b" + o;
    }

    /** The prefix of every backfilled order's id, and so of its document's. */
    static final String ORDER_PREFIX = "b";

    static String customerId(long c) {
        return "c" + c;
    }

    private long customerOf(int o) {
        return (o * 7919L) % customers;
    }

    static int age(long c) {
        return (int) (18 + (c * 31) % 70);
    }

    static boolean shipped(int o) {
        return o % 10 != 0;
    }

    /** How many orders have a shipment: the documents the backfill makes. */
    long shippedOrders() {
        return orders - (orders + 9L) / 10;
    }

    /** Shipments, as MongoDB holds them. */
    long shipments() {
        return shippedOrders();
    }

    private Instant orderTime(int o) {
        return end.minus(SHIPPING_SPAN).minus(ORDERS_SPAN).plusMillis((long) (ORDERS_SPAN.toMillis() * (double) o / orders));
    }

    private Instant shipTime(int o) {
        return orderTime(o).plusSeconds((o * 104_729L) % SHIPPING_SPAN.toSeconds());
    }

    private static double price(int o) {
        return (o * 37L % 100_000) / 100.0;
    }

    Document order(int o) {
        return new Document("order_id", orderId(o)).append("customer_id", customerId(customerOf(o))).append("price", price(o))
                .append("currency", CURRENCIES[o % CURRENCIES.length]).append("ts", EventTime.format(orderTime(o)));
    }

    Document shipment(int o) {
        return new Document("order_id", orderId(o)).append("shipment_id", "s" + o).append("origin", ORIGINS[o % ORIGINS.length])
                .append("ts", EventTime.format(shipTime(o)));
    }

    /** The document order {@code o} must end with (null: it has no shipment, so no document). */
    Map<String, Object> expected(int o) {
        if (!shipped(o)) {
            return null;
        }
        long c = customerOf(o);
        return ShippedOrderDocument.of(new ShippedOrder(orderId(o), "s" + o, customerId(c), "customer-" + c, age(c),
                ORIGINS[o % ORIGINS.length], price(o), CURRENCIES[o % CURRENCIES.length]));
    }

    /** The customers in Postgres, in one statement (the table as the tutorial made it), and the live load's. */
    void fillPostgres(PostgresEndpoint postgres, String database) {
        postgres.createDatabase(database, LocalPipeline.DB_USER, LocalPipeline.DB_PASSWORD);
        postgres.execute(database, LocalPipeline.DB_USER, LocalPipeline.DB_PASSWORD, PostgresEndpoint.initScript("01-customers.sql"),
                "INSERT INTO customers SELECT 'c' || g, 'customer-' || g, 18 + (g * 31) % 70 FROM generate_series(0, "
                        + (customers - 1) + ") g",
                "INSERT INTO customers SELECT 'live-c' || g, 'live-customer-' || g, 30 FROM generate_series(0, "
                        + (LIVE_CUSTOMERS - 1) + ") g",
                "ANALYZE customers");
    }

    /** The orders, then the shipments, in batches, each collection in the order of its numbers (and so of its _ids). */
    void fillMongo(MongoDatabase logistics, Progress progress) {
        insert(logistics.getCollection("orders"), orders, this::order, o -> true, progress);
        insert(logistics.getCollection("shipments"), orders, this::shipment, BackfillData::shipped, progress);
    }

    /** Told how many documents are in after each batch. */
    @FunctionalInterface
    interface Progress {
        void inserted(long documents);
    }

    private static void insert(MongoCollection<Document> collection, int count, java.util.function.IntFunction<Document> document,
                               java.util.function.IntPredicate wanted, Progress progress) {
        List<Document> batch = new ArrayList<>(BATCH);
        long inserted = 0;
        for (int o = 0; o < count; o++) {
            if (wanted.test(o)) {
                batch.add(document.apply(o));
            }
            if (batch.size() == BATCH || o == count - 1 && !batch.isEmpty()) {
                collection.insertMany(batch);
                inserted += batch.size();
                batch = new ArrayList<>(BATCH);
                progress.inserted(inserted);
            }
        }
    }
}
