package io.streamingetl.benchmark;

import io.streamingetl.contract.ShippedOrderDocument;
import io.streamingetl.search.BulkWriter;
import io.streamingetl.search.SearchClient;
import io.streamingetl.search.SearchEngineConfig;
import io.streamingetl.search.VersionedIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The search engine's own ceiling on this machine: the sink's documents bulk-indexed into the same node with the
 * same client and writer, one request at a time as the sink sends them, at the best of a few bulk sizes; the
 * sink's replay is a share of it.
 */
final class SearchEngineCeiling {
    private static final int[] BULK_SIZES = {500, 1000, 2000};

    private SearchEngineCeiling() {
    }

    /** Documents per second after the warm-up share, at the best bulk size, each size into a scratch index of its own. */
    static double measure(String engineUrl, int documents, IntFunction<Map<String, Object>> document,
                          BenchmarkResults results) throws Exception {
        try (SearchClient client = SearchClient.connect(SearchEngineConfig.of(engineUrl))) {
            String engine = client.detect().toString();
            double best = 0;
            List<String> rates = new ArrayList<>();
            for (int size : BULK_SIZES) {
                String scratch = "bench_es_ceiling_" + size;
                VersionedIndex.create(client, scratch, ShippedOrderDocument.mapping());
                BulkWriter<Void> writer = new BulkWriter<>(client, scratch);
                Span span = new Span();
                for (int from = 0; from < documents; from += size) {
                    List<BulkWriter.Write<Void>> writes = new ArrayList<>(size);
                    for (int o = from; o < Math.min(documents, from + size); o++) {
                        writes.add(new BulkWriter.Write<>(null, "o" + o, o + 1, document.apply(o)));
                    }
                    BulkWriter.Outcome<Void> outcome = writer.write(writes);
                    if (outcome.written().size() != writes.size()) {
                        throw new IllegalStateException("bulk indexing into " + scratch + " failed: " + outcome.retryReason()
                                + " " + outcome.rejected());
                    }
                    span.mark(Math.min(documents, from + size), documents);
                }
                client.send("DELETE", "/" + scratch, null);
                double rate = span.warmRate(documents);
                rates.add(String.format("%,d: %,.0f", size, rate));
                best = Math.max(best, rate);
            }
            results.add(engine + "'s raw bulk indexing of the sink's documents (the sink's ceiling), after the first 20%, "
                    + "by bulk size", String.join(" / ", rates) + " documents/s; best " + String.format("%,.0f", best));
            return best;
        }
    }
}
