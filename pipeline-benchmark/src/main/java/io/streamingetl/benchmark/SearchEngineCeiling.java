package io.streamingetl.benchmark;

import io.streamingetl.contract.ShippedOrderDocument;
import io.streamingetl.search.BulkWriter;
import io.streamingetl.search.SearchClient;
import io.streamingetl.search.SearchEngineConfig;
import io.streamingetl.search.VersionedIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/**
 * The search engine's own ceiling on this machine: the sink's documents bulk-indexed into the same node with the
 * same client and writer, at a few bulk sizes and with one or two requests under way at once (as the sink may send
 * them, {@code BULK_CONCURRENT_REQUESTS}), after a warm-up pass left out; the best is the ceiling the sink is a
 * share of.
 */
final class SearchEngineCeiling {
    private static final int[] BULK_SIZES = {500, 1000, 2000, 5000};
    private static final int[] IN_FLIGHT = {1, 2};

    private SearchEngineCeiling() {
    }

    /** Documents per second after the warm-up share, at the best bulk size and number under way, each into a scratch index. */
    static double measure(String engineUrl, int documents, IntFunction<Map<String, Object>> document,
                          BenchmarkResults results) throws Exception {
        try (SearchClient client = SearchClient.connect(SearchEngineConfig.of(engineUrl))) {
            String engine = client.detect().toString();
            // The first pass finds the node colder than the sink's runs did: left out.
            rate(client, "bench_es_ceiling_warmup", Math.min(documents, 20_000), 1000, 1, document);
            double best = 0;
            String bestAt = "";
            List<String> rates = new ArrayList<>();
            for (int inFlight : IN_FLIGHT) {
                for (int size : BULK_SIZES) {
                    double rate = rate(client, "bench_es_ceiling_" + size + "_" + inFlight, documents, size, inFlight, document);
                    rates.add(String.format("%,d x %d: %,.0f", size, inFlight, rate));
                    if (rate > best) {
                        best = rate;
                        bestAt = String.format("%,d per request, %d under way", size, inFlight);
                    }
                }
            }
            results.add(engine + "'s raw bulk indexing of the sink's documents (the sink's ceiling), after the first 20%, "
                    + "by documents per request x requests under way", String.join(" / ", rates) + " documents/s; best "
                    + String.format("%,.0f", best) + " (" + bestAt + ")");
            return best;
        }
    }

    /** Bulk-indexes {@code documents} into a scratch index, {@code size} a request, {@code inFlight} at a time; deletes it after. */
    private static double rate(SearchClient client, String scratch, int documents, int size, int inFlight,
                               IntFunction<Map<String, Object>> document) throws Exception {
        VersionedIndex.create(client, scratch, ShippedOrderDocument.mapping());
        BulkWriter<Void> writer = new BulkWriter<>(client, scratch);
        Span span = new Span();
        AtomicLong done = new AtomicLong();
        ExecutorService senders = Executors.newFixedThreadPool(inFlight);
        try {
            List<Future<?>> sending = new ArrayList<>();
            for (int sender = 0; sender < inFlight; sender++) {
                int first = sender;
                sending.add(senders.submit(() -> {
                    // Sender k takes requests k, k + inFlight, ...: together they go through the documents in order.
                    for (int from = first * size; from < documents; from += inFlight * size) {
                        List<BulkWriter.Write<Void>> writes = new ArrayList<>(size);
                        for (int o = from; o < Math.min(documents, from + size); o++) {
                            writes.add(new BulkWriter.Write<>(null, "o" + o, o + 1, document.apply(o)));
                        }
                        BulkWriter.Outcome<Void> outcome = writer.write(writes);
                        if (outcome.written().size() != writes.size()) {
                            throw new IllegalStateException("bulk indexing into " + scratch + " failed: " + outcome.retryReason()
                                    + " " + outcome.rejected());
                        }
                        long now = done.addAndGet(writes.size());
                        synchronized (span) {
                            span.mark(now, documents);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> one : sending) {
                one.get();
            }
        } finally {
            senders.shutdownNow();
            client.send("DELETE", "/" + scratch, null);
        }
        return span.warmRate(documents);
    }
}
