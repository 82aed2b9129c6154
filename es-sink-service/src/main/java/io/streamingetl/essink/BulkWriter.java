package io.streamingetl.essink;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch._types.VersionType;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * One bulk request for a batch of document writes, and what became of each: written; stale (a newer
 * version of the document is already indexed); rejected for itself (a mapping or parse error, an illegal
 * value, a document too large: a dead letter); or to retry, for every other refusal: authentication,
 * authorization, a missing, closed or write-blocked index, 429 and 5xx concern every document alike.
 */
final class BulkWriter {
    /**
     * A document to index (or, when {@code document} is null, to delete) for the record it came from, at
     * {@code version}: the record's {@code change.version}, so a retried, replayed or re-partitioned older write
     * never replaces a newer one, while the same write again is taken (Elasticsearch's {@code external_gte}).
     * A record without a version (0: not written by the join) is written unversioned: the last write wins.
     */
    record Write(ConsumerRecord<byte[], byte[]> source, String id, long version, Map<String, Object> document) {
    }

    record Rejection(Write write, int status, String reason) {
    }

    /** {@code retryReason} says why {@code toRetry} was refused (null when nothing is to retry). */
    record Outcome(List<Write> written, int stale, List<Write> toRetry, String retryReason,
                      List<Rejection> rejected) {
    }

    /** The error types a document causes by itself; any other refusal would meet every document alike. */
    private static final Set<String> DOCUMENT_ERRORS = Set.of("mapper_parsing_exception", "document_parsing_exception",
            "illegal_argument_exception", "strict_dynamic_mapping_exception", "action_request_validation_exception",
            "document_source_missing_exception");

    static boolean isTheDocumentsFault(int status, String type) {
        return status == 413 || (status == 400 && DOCUMENT_ERRORS.contains(type));
    }

    private final ElasticsearchClient client;
    private final String index;

    BulkWriter(ElasticsearchClient client, String index) {
        this.client = client;
        this.index = index;
    }

    /**
     * @throws IOException and Elasticsearch's own exceptions when the request as a whole failed for a reason
     *                     that is not one document's: unreachable, 401, 403, 404, 429, 5xx, ...
     */
    Outcome write(List<Write> writes) throws IOException {
        try {
            return writeInOneRequest(writes);
        } catch (ElasticsearchException e) {
            if (!isTheDocumentsFault(e.status(), e.error().type())) {
                throw e;
            }
            // Elasticsearch refused the request as a whole for one document (its id is invalid, say): find which.
            if (writes.size() == 1) {
                return new Outcome(List.of(), 0, List.of(), null, List.of(new Rejection(writes.get(0), e.status(),
                        e.error().type() + ": " + e.error().reason())));
            }
            Outcome all = new Outcome(List.of(), 0, List.of(), null, List.of());
            for (Write write : writes) {
                all = merge(all, write(List.of(write)));
            }
            return all;
        }
    }

    private static Outcome merge(Outcome a, Outcome b) {
        List<Write> written = new ArrayList<>(a.written());
        written.addAll(b.written());
        List<Write> toRetry = new ArrayList<>(a.toRetry());
        toRetry.addAll(b.toRetry());
        List<Rejection> rejected = new ArrayList<>(a.rejected());
        rejected.addAll(b.rejected());
        return new Outcome(written, a.stale() + b.stale(), toRetry,
                b.retryReason() != null ? b.retryReason() : a.retryReason(), rejected);
    }

    private Outcome writeInOneRequest(List<Write> writes) throws IOException {
        List<BulkOperation> operations = new ArrayList<>(writes.size());
        for (Write w : writes) {
            operations.add(w.document() == null
                    ? BulkOperation.of(op -> op.delete(d -> w.version() > 0
                            ? d.index(index).id(w.id()).version(w.version()).versionType(VersionType.ExternalGte)
                            : d.index(index).id(w.id())))
                    : BulkOperation.of(op -> op.index(i -> w.version() > 0
                            ? i.index(index).id(w.id()).document(w.document()).version(w.version())
                                    .versionType(VersionType.ExternalGte)
                            : i.index(index).id(w.id()).document(w.document()))));
        }
        BulkResponse response = client.bulk(BulkRequest.of(b -> b.operations(operations)));
        List<Write> written = new ArrayList<>();
        int stale = 0;
        List<Write> toRetry = new ArrayList<>();
        String retryReason = null;
        List<Rejection> rejected = new ArrayList<>();
        List<BulkResponseItem> items = response.items();
        for (int i = 0; i < items.size(); i++) {
            BulkResponseItem item = items.get(i);
            Write write = writes.get(i);
            int status = item.status();
            if (item.error() == null || (status == 404 && write.document() == null)) {
                written.add(write);
            } else if (status == 409 && "version_conflict_engine_exception".equals(item.error().type())) {
                stale++;
            } else if (isTheDocumentsFault(status, item.error().type())) {
                rejected.add(new Rejection(write, status, item.error().type() + ": " + item.error().reason()));
            } else {
                toRetry.add(write);
                retryReason = status + " " + item.error().type() + ": " + item.error().reason();
            }
        }
        return new Outcome(written, stale, toRetry, retryReason, rejected);
    }
}
