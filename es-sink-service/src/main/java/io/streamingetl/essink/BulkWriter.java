package io.streamingetl.essink;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One bulk request for a batch of document writes, and what became of each: written, to retry
 * (Elasticsearch was overloaded or failed: 429, 5xx) or rejected for itself (400, a mapping conflict).
 */
final class BulkWriter {
    /** A document to index (or, when {@code document} is null, to delete) for the record it came from. */
    record Write<S>(S source, String id, Map<String, Object> document) {
    }

    record Rejection<S>(Write<S> write, int status, String reason) {
    }

    record Outcome<S>(List<Write<S>> toRetry, List<Rejection<S>> rejected) {
    }

    private final ElasticsearchClient client;
    private final String index;

    BulkWriter(ElasticsearchClient client, String index) {
        this.client = client;
        this.index = index;
    }

    /**
     * @throws IOException and Elasticsearch's own exceptions when the request as a whole failed for a reason
     *                     worth retrying (unreachable, 429, 5xx)
     */
    <S> Outcome<S> write(List<Write<S>> writes) throws IOException {
        try {
            return writeInOneRequest(writes);
        } catch (ElasticsearchException e) {
            if (e.status() < 400 || e.status() >= 500 || e.status() == 429) {
                throw e;
            }
            // Elasticsearch refused the request as a whole (one document's id is invalid, say): find which.
            if (writes.size() == 1) {
                return new Outcome<>(List.of(), List.of(new Rejection<>(writes.get(0), e.status(),
                        e.error().type() + ": " + e.error().reason())));
            }
            List<Write<S>> toRetry = new ArrayList<>();
            List<Rejection<S>> rejected = new ArrayList<>();
            for (Write<S> write : writes) {
                Outcome<S> one = write(List.of(write));
                toRetry.addAll(one.toRetry());
                rejected.addAll(one.rejected());
            }
            return new Outcome<>(toRetry, rejected);
        }
    }

    private <S> Outcome<S> writeInOneRequest(List<Write<S>> writes) throws IOException {
        List<BulkOperation> operations = new ArrayList<>(writes.size());
        for (Write<S> w : writes) {
            operations.add(w.document() == null
                    ? BulkOperation.of(op -> op.delete(d -> d.index(index).id(w.id())))
                    : BulkOperation.of(op -> op.index(i -> i.index(index).id(w.id()).document(w.document()))));
        }
        BulkResponse response = client.bulk(BulkRequest.of(b -> b.operations(operations)));
        List<Write<S>> toRetry = new ArrayList<>();
        List<Rejection<S>> rejected = new ArrayList<>();
        List<BulkResponseItem> items = response.items();
        for (int i = 0; i < items.size(); i++) {
            BulkResponseItem item = items.get(i);
            Write<S> write = writes.get(i);
            int status = item.status();
            if (item.error() == null || (status == 404 && write.document() == null)) {
                continue;
            }
            if (status == 429 || status >= 500) {
                toRetry.add(write);
            } else {
                rejected.add(new Rejection<>(write, status, item.error().type() + ": " + item.error().reason()));
            }
        }
        return new Outcome<>(toRetry, rejected);
    }
}
