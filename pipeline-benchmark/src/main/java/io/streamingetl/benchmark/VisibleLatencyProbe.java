package io.streamingetl.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoCollection;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.search.SearchClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.bson.Document;

/**
 * What a search client sees, measured from outside the services: pairs of an order and its shipment written to
 * MongoDB at a steady pace beside the load, and each order id asked of the index with a realtime {@code _mget}
 * every 50 ms until its document is there. The time is from the shipment's insert (the pair complete) to the
 * first answer holding the document.
 */
final class VisibleLatencyProbe implements AutoCloseable {
    private static final Duration POLL = Duration.ofMillis(50);

    /** A probe's pair: when it was complete in the source, and when its document was first seen (0 until then). */
    record Probe(long committedNanos, long seenNanos) {
        long millis() {
            return (seenNanos - committedNanos) / 1_000_000;
        }
    }

    private final Map<String, Long> pending = new ConcurrentHashMap<>();
    private final List<Probe> seen = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicBoolean writing = new AtomicBoolean(true);
    private final Thread writer;
    private final Thread reader;

    /**
     * @param eventTime the {@code ts} to stamp each pair with: the load's current one, so the join's stream time is
     *                  not moved ahead of the load's records
     */
    VisibleLatencyProbe(MongoClient mongo, String searchUrl, String customerId, int pairsPerSecond, Supplier<String> eventTime) {
        MongoCollection<Document> orders = mongo.getDatabase("logistics").getCollection("orders");
        MongoCollection<Document> shipments = mongo.getDatabase("logistics").getCollection("shipments");
        long every = 1_000_000_000L / pairsPerSecond;
        writer = new Thread(() -> {
            long next = System.nanoTime();
            for (int n = 0; running.get() && writing.get(); n++) {
                String id = "probe-" + n;
                String ts = eventTime.get();
                orders.insertOne(new Document(Map.of("order_id", id, "customer_id", customerId, "price", 1.0, "currency", "usd", "ts", ts)));
                shipments.insertOne(new Document(Map.of("order_id", id, "shipment_id", "probe-shipment-" + n, "origin", "ohio", "ts", ts)));
                pending.put(id, System.nanoTime());
                next += every;
                LockSupport.parkNanos(next - System.nanoTime());
            }
        }, "visible-latency-writer");
        reader = new Thread(() -> {
            while (running.get()) {
                long asked = System.nanoTime();
                look(searchUrl);
                LockSupport.parkNanos(POLL.toNanos() - (System.nanoTime() - asked));
            }
        }, "visible-latency-reader");
        writer.setDaemon(true);
        reader.setDaemon(true);
        writer.start();
        reader.start();
    }

    /** One realtime multi-get of every pending id; those found are seen now. */
    private void look(String searchUrl) {
        if (pending.isEmpty()) {
            return;
        }
        StringBuilder ids = new StringBuilder("{\"ids\": [");
        pending.keySet().forEach(id -> ids.append('"').append(id).append("\","));
        ids.setCharAt(ids.length() - 1, ']');
        HttpProbe.Answer answer = HttpProbe.postJson(searchUrl + "/shipped_orders/_mget?realtime=true&_source=false", ids + "}");
        long now = System.nanoTime();
        try {
            for (JsonNode doc : SearchClient.JSON.readTree(answer.body()).path("docs")) {
                if (doc.path("found").asBoolean()) {
                    Long committed = pending.remove(doc.path("_id").asText());
                    if (committed != null) {
                        synchronized (seen) {
                            seen.add(new Probe(committed, now));
                        }
                    }
                }
            }
        } catch (IOException e) {
            // An answer that is not JSON (the engine busy): asked again at the next poll.
        }
    }

    /** The pairs complete in [{@code from}, {@code to}) whose documents were seen, in ms. */
    List<Long> millisOfPairsBetween(long from, long to) {
        synchronized (seen) {
            return seen.stream().filter(p -> p.committedNanos() >= from && p.committedNanos() < to).map(Probe::millis).sorted().toList();
        }
    }

    /** Every pair written, seen or not: the documents they add to the index. */
    int pairs() {
        synchronized (seen) {
            return seen.size() + pending.size();
        }
    }

    /**
     * Stops writing pairs and waits (up to {@code timeout}) until every pair written is seen; true when all were, so
     * that the last pairs count too.
     */
    boolean finish(java.time.Duration timeout) throws InterruptedException {
        writing.set(false);
        writer.join(5_000);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(POLL.toMillis());
        }
        return pending.isEmpty();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        writer.join(5_000);
        reader.join(5_000);
    }
}
