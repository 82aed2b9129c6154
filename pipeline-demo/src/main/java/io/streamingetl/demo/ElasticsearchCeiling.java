package io.streamingetl.demo;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import io.streamingetl.essink.ElasticsearchClients;
import io.streamingetl.essink.EsSinkConfig;
import io.streamingetl.essink.ShippedOrderDocument;
import io.streamingetl.runtime.Settings;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Elasticsearch's own ceiling on this machine: the sink's documents bulk-indexed into the same node with the
 * same client, one request at a time as the sink sends them, at the best of a few bulk sizes; the sink's
 * replay is a share of it.
 */
final class ElasticsearchCeiling {
    private static final int[] BULK_SIZES = {500, 1000, 2000};

    private ElasticsearchCeiling() {
    }

    /** Documents per second after the warm-up share, at the best bulk size, each size into a scratch index of its own. */
    static double measure(String elasticsearchUrl, int documents, IntFunction<Map<String, Object>> document,
                          BenchmarkResults results) throws Exception {
        ElasticsearchClient client = ElasticsearchClients.create(EsSinkConfig.from(Settings.from(Map.of("ES_URL", elasticsearchUrl))));
        try {
            double best = 0;
            List<String> rates = new ArrayList<>();
            for (int size : BULK_SIZES) {
                String scratch = "bench_es_ceiling_" + size;
                client.indices().create(c -> c.index(scratch).mappings(ShippedOrderDocument.mapping()));
                Span span = new Span();
                for (int from = 0; from < documents; from += size) {
                    List<BulkOperation> operations = new ArrayList<>(size);
                    for (int o = from; o < Math.min(documents, from + size); o++) {
                        String id = "o" + o;
                        Map<String, Object> body = document.apply(o);
                        operations.add(BulkOperation.of(op -> op.index(i -> i.index(scratch).id(id).document(body))));
                    }
                    BulkResponse response = client.bulk(b -> b.operations(operations));
                    if (response.errors()) {
                        throw new IllegalStateException("bulk indexing into " + scratch + " failed: " + response.items().stream()
                                .filter(item -> item.error() != null).findFirst().orElseThrow().error().reason());
                    }
                    span.mark(Math.min(documents, from + size), documents);
                }
                client.indices().delete(d -> d.index(scratch));
                double rate = span.warmRate(documents);
                rates.add(String.format("%,d: %,.0f", size, rate));
                best = Math.max(best, rate);
            }
            results.add("Elasticsearch's raw bulk indexing of the sink's documents (the sink's ceiling), after the first 20%, "
                    + "by bulk size", String.join(" / ", rates) + " documents/s; best " + String.format("%,.0f", best));
            return best;
        } finally {
            client._transport().close();
        }
    }
}
