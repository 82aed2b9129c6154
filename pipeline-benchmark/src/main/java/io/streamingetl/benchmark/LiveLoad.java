package io.streamingetl.benchmark;

import com.mongodb.client.MongoCollection;
import com.mongodb.client.MongoDatabase;
import io.streamingetl.contract.EventTime;
import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.localstack.PostgresEndpoint;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.bson.Document;

/**
 * The day's own changes while the backfill runs, at a steady pace: of every nine, one update of a live customer's age
 * in Postgres and four new orders of live customers each with its shipment in MongoDB (event time now). With the
 * search client's own pairs beside it ({@link VisibleLatencyProbe}, 5 a second) the sources change
 * {@code changesPerSecond} times a second. Says how many pairs it wrote: the documents it adds.
 */
final class LiveLoad implements AutoCloseable {
    /** The changes a second the search client's probe makes beside this load (5 pairs). */
    static final int PROBE_CHANGES_PER_SECOND = 10;

    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicLong pairs = new AtomicLong();
    private final AtomicLong updates = new AtomicLong();
    private final AtomicLong behindMillis = new AtomicLong();
    private final Thread thread;

    /**
     * @param changesPerSecond the sources' changes a second, the probe's included: a ninth of the rest customer updates,
     *                         the others orders with their shipments
     */
    LiveLoad(MongoDatabase logistics, PostgresEndpoint postgres, String database, int changesPerSecond) {
        double own = Math.max(0, changesPerSecond - PROBE_CHANGES_PER_SECOND);
        double updatesPerSecond = own / 9;
        double pairsPerSecond = (own - updatesPerSecond) / 2;
        double opsPerSecond = updatesPerSecond + pairsPerSecond;
        MongoCollection<Document> orders = logistics.getCollection("orders");
        MongoCollection<Document> shipments = logistics.getCollection("shipments");
        thread = new Thread(() -> {
            if (opsPerSecond <= 0) {
                return;
            }
            long every = (long) (1e9 / opsPerSecond);
            try (Connection c = DriverManager.getConnection(postgres.jdbcUrl(database), LocalPipeline.DB_USER, LocalPipeline.DB_PASSWORD);
                 PreparedStatement update = c.prepareStatement("UPDATE customers SET age = 18 + (age + 1) % 70 WHERE id = ?")) {
                long next = System.nanoTime();
                double updateShare = updatesPerSecond / opsPerSecond;
                double owedUpdates = 0;
                for (long op = 0; running.get(); op++) {
                    owedUpdates += updateShare;
                    if (owedUpdates >= 1) {
                        owedUpdates -= 1;
                        update.setString(1, "live-c" + updates.getAndIncrement() % BackfillData.LIVE_CUSTOMERS);
                        update.executeUpdate();
                    } else {
                        long n = pairs.get();
                        String ts = EventTime.format(Instant.now());
                        String customer = "live-c" + n % BackfillData.LIVE_CUSTOMERS;
                        orders.insertOne(new Document("order_id", "live-o" + n).append("customer_id", customer)
                                .append("price", 1.0 + n % 100).append("currency", "usd").append("ts", ts));
                        shipments.insertOne(new Document("order_id", "live-o" + n).append("shipment_id", "live-s" + n)
                                .append("origin", "ohio").append("ts", ts));
                        pairs.incrementAndGet();
                    }
                    next += every;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    } else {
                        behindMillis.accumulateAndGet(-wait / 1_000_000, Math::max);
                    }
                }
            } catch (SQLException e) {
                LocalPipeline.say("live load: Postgres refused an update (" + e.getMessage() + "); the live load stopped");
            }
        }, "backfill-live-load");
        thread.setDaemon(true);
    }

    void start() {
        thread.start();
    }

    /** Order+shipment pairs written so far: each a document once through. */
    long pairs() {
        return pairs.get();
    }

    long customerUpdates() {
        return updates.get();
    }

    /** The most the load fell behind its pace, in ms (the sources slow to take a write). */
    long mostBehindMillis() {
        return behindMillis.get();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.join(10_000);
    }
}
