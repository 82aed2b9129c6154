package io.streamingetl.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.http.entity.ContentType;

/**
 * One bulk request for a batch of document writes, and what became of each ({@link Outcome}). Each write
 * carries its version ({@code version_type=external_gte}): an older version than the one indexed is refused
 * (stale), the same one written again is taken. A request the engine refuses as a whole for one document (its
 * id, say) or as too large (413, with or without a body) is split until the document at fault is found, which is
 * then rejected for itself; any other refusal of the whole request is a {@link RefusedException}, to retry.
 *
 * @param <S> what each write came from (a Kafka record), handed back with its outcome
 */
public final class BulkWriter<S> {
    private static final ContentType NDJSON = ContentType.create("application/x-ndjson");

    /**
     * A document to index, or when {@code document} is null to delete, at {@code version}; version 0: written
     * without one (the last write wins).
     */
    public record Write<S>(S source, String id, long version, Map<String, Object> document) {
    }

    /** A document the engine refused for itself; {@code reason} is the engine's {@code type: reason}, which may quote a value. */
    public record Rejection<S>(Write<S> write, int status, String reason) {
        /** The status, the error's type and the document's id, without the engine's text: what readiness may show. */
        public String errorClass() {
            return BulkWriter.errorClass(status + " " + reason, write);
        }
    }

    /** {@code retryReason} says why {@code toRetry} was refused (null when nothing is to retry). */
    public record Outcome<S>(List<Write<S>> written, int stale, List<Write<S>> toRetry, String retryReason,
                             List<Rejection<S>> rejected) {
        static <S> Outcome<S> none() {
            return new Outcome<>(List.of(), 0, List.of(), null, List.of());
        }

        Outcome<S> plus(Outcome<S> more) {
            List<Write<S>> written = new ArrayList<>(this.written);
            written.addAll(more.written);
            List<Write<S>> toRetry = new ArrayList<>(this.toRetry);
            toRetry.addAll(more.toRetry);
            List<Rejection<S>> rejected = new ArrayList<>(this.rejected);
            rejected.addAll(more.rejected);
            return new Outcome<>(written, stale + more.stale, toRetry,
                    more.retryReason != null ? more.retryReason : retryReason, rejected);
        }

        /** Why the last write to retry was refused as its status, error type and document id (null when none is). */
        public String retryErrorClass() {
            return retryReason == null || toRetry.isEmpty() ? null : errorClass(retryReason, toRetry.get(toRetry.size() - 1));
        }
    }

    /** {@code "<status> <type>: <engine's text>"} as {@code "<status> <type> (document <id>)"}: the text can quote a field's value. */
    private static String errorClass(String statusTypeAndReason, Write<?> write) {
        int colon = statusTypeAndReason.indexOf(':');
        return (colon < 0 ? statusTypeAndReason : statusTypeAndReason.substring(0, colon)) + " (document " + write.id() + ")";
    }

    /** The engine refused the whole request for a reason no single document causes: retry it. */
    public static final class RefusedException extends IOException {
        private final int status;

        public RefusedException(int status, String message) {
            super(message);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final SearchClient client;
    private final String index;

    public BulkWriter(SearchClient client, String index) {
        this.client = client;
        this.index = index;
    }

    /**
     * @throws IOException when the request as a whole failed for a reason that is not one document's: unreachable,
     *                     timed out ({@link RefusedException}: 401, 403, 404, 429, 5xx, an answer that is not JSON)
     */
    public Outcome<S> write(List<Write<S>> writes) throws IOException {
        if (writes.isEmpty()) {
            return Outcome.none();
        }
        SearchClient.Answer answer = client.send("POST", "/_bulk", body(writes), NDJSON);
        if (answer.ok() && answer.json().has("items")) {
            return outcome(writes, answer.json().get("items"));
        }
        String type = answer.json().path("error").path("type").asText("");
        String reason = answer.json().path("error").path("reason").asText("");
        WriteError error = answer.ok() ? WriteError.RETRY : WriteError.of(answer.status(), type, reason);
        if (error != WriteError.DOCUMENT) {
            throw new RefusedException(answer.status(), answer.ok() ? answer.status() + " without items: " + answer.error()
                    : answer.error());
        }
        if (writes.size() == 1) {
            return new Outcome<>(List.of(), 0, List.of(), null, List.of(new Rejection<>(writes.get(0), answer.status(),
                    answer.status() == 413 ? "request entity too large: the document alone is larger than the engine takes "
                            + "in a request (http.max_content_length)" : type + ": " + reason)));
        }
        // One document spoiled the whole request (or it was too large): halves, until the culprit stands alone.
        int half = writes.size() / 2;
        return write(writes.subList(0, half)).plus(write(writes.subList(half, writes.size())));
    }

    /** The bulk request's NDJSON body for {@code writes}: an action line per write, the document after an index. */
    public byte[] body(List<Write<S>> writes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(writes.size() * 256);
        for (Write<S> write : writes) {
            ObjectNode action = SearchClient.JSON.createObjectNode();
            ObjectNode meta = action.putObject(write.document() == null ? "delete" : "index");
            meta.put("_index", index).put("_id", write.id());
            if (write.version() > 0) {
                meta.put("version", write.version()).put("version_type", "external_gte");
            }
            SearchClient.JSON.writeValue(out, action);
            out.write('\n');
            if (write.document() != null) {
                SearchClient.JSON.writeValue(out, write.document());
                out.write('\n');
            }
        }
        return out.toByteArray();
    }

    private Outcome<S> outcome(List<Write<S>> writes, JsonNode items) {
        List<Write<S>> written = new ArrayList<>();
        int stale = 0;
        List<Write<S>> toRetry = new ArrayList<>();
        String retryReason = null;
        List<Rejection<S>> rejected = new ArrayList<>();
        for (int i = 0; i < writes.size(); i++) {
            Write<S> write = writes.get(i);
            JsonNode item = items.get(i).elements().next();
            int status = item.path("status").asInt();
            JsonNode error = item.path("error");
            // A delete of a document that is not there (404, no error) is done all the same.
            if (!error.isObject()) {
                written.add(write);
                continue;
            }
            String type = error.path("type").asText();
            String reason = error.path("reason").asText();
            switch (WriteError.of(status, type, reason)) {
                case STALE -> stale++;
                case DOCUMENT -> rejected.add(new Rejection<>(write, status, type + ": " + reason));
                case RETRY -> {
                    toRetry.add(write);
                    retryReason = status + " " + type + ": " + reason;
                }
            }
        }
        return new Outcome<>(written, stale, toRetry, retryReason, rejected);
    }
}
