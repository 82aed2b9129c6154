package io.streamingetl.mongostandin;

import de.bwaldvogel.mongo.backend.DefaultQueryMatcher;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One open change stream: its scope, options, position in the {@link ChangeLog} and the stages that followed
 * {@code $changeStream} in the pipeline.
 * <p>
 * Stages are interpreted here rather than by mongo-java-server's aggregation engine because that engine re-evaluates
 * the values produced by {@code $replaceRoot} as expressions, so a document containing {@code $}-prefixed keys or
 * strings (an update spec, {@code "$5"}) fails ("Unrecognized expression '$set'") or is silently altered. Debezium's
 * default (regex filter) pipeline is {@code $replaceRoot} (with {@code $concat} and {@code $$ROOT}), {@code $match},
 * {@code $replaceRoot}; that is what is supported, plus {@code $replaceWith}. Other stages are rejected with an error
 * rather than ignored, so a stream never delivers events its pipeline would have filtered out.
 */
final class ChangeStreamCursor {

    static final int MAX_BATCH = 1000;

    private final long id;
    private final String namespace;
    /** null = every user database (cluster-wide stream). */
    private final String db;
    /** null = every collection of the scope. */
    private final String coll;
    private final String fullDocument;
    private final List<Document> stages;
    private final ChangeLog log;
    private final ChangeLog.DocumentLookup lookup;
    private long position;

    ChangeStreamCursor(long id, String namespace, String db, String coll, Document options, List<Document> stages,
                       ChangeLog log, ChangeLog.DocumentLookup lookup) {
        this.id = id;
        this.namespace = namespace;
        this.db = db;
        this.coll = coll;
        this.fullDocument = (String) options.getOrDefault("fullDocument", "default");
        this.stages = stages;
        this.log = log;
        this.lookup = lookup;
        stages.forEach(ChangeStreamCursor::validateStage);
        this.position = startPosition(options, log);
    }

    long id() {
        return id;
    }

    String namespace() {
        return namespace;
    }

    private static long startPosition(Document options, ChangeLog log) {
        Object token = options.containsKey("startAfter") ? options.get("startAfter") : options.get("resumeAfter");
        long requested;
        if (token != null) {
            requested = parseToken(token);
        } else if (options.get("startAtOperationTime") instanceof BsonTimestamp time) {
            requested = time.getValue();
        } else {
            return log.clusterTime();
        }
        if (Long.compareUnsigned(requested, log.oldest()) < 0) {
            throw historyLost(requested, log);
        }
        if (token != null && Long.compareUnsigned(requested, log.clusterTime()) > 0) {
            // e.g. an offset stored against an earlier run of the stand-in that started within the same second
            throw new MongoServerError(280, "ChangeStreamFatalError", "stand-in: resume token was not found in the change history");
        }
        // a token means "after this event"; startAtOperationTime includes events at that time
        return token != null ? requested : requested - 1;
    }

    /** What a mongod answers when the oplog no longer holds a change stream's resume point (error 286). */
    private static MongoServerError historyLost(long requested, ChangeLog log) {
        return new MongoServerError(286, "ChangeStreamHistoryLost", "stand-in: resume point " + new BsonTimestamp(requested)
            + " is older than the oldest change this server still has, " + new BsonTimestamp(log.oldest())
            + " (its change log was truncated, or the stand-in started after it)");
    }

    /** Resume tokens look like MongoDB's KeyString ones: 0x82 then the 8-byte cluster time (Debezium decodes that). */
    static Document token(long clusterTime) {
        return new Document("_data", String.format("82%016X", clusterTime));
    }

    private static long parseToken(Object token) {
        Object data = token instanceof Document document ? document.get("_data") : null;
        if (data instanceof String hex && hex.length() >= 18 && hex.startsWith("82")) {
            try {
                return Long.parseUnsignedLong(hex.substring(2, 18), 16);
            } catch (NumberFormatException e) {
                // fall through
            }
        }
        throw new MongoServerError(9, "FailedToParse", "stand-in: unrecognised resume token " + token);
    }

    record Batch(List<Document> events, Document postBatchResumeToken) {
    }

    synchronized Batch next(int limit) {
        // A stream that fell behind a truncation has lost what it had not read yet, as on a mongod whose oplog rolled over.
        if (Long.compareUnsigned(position, log.oldest()) < 0) {
            throw historyLost(position, log);
        }
        ChangeLog.Slice slice = log.since(position);
        List<Document> events = new ArrayList<>();
        long reached = position;
        boolean complete = true;
        for (ChangeLog.Change change : slice.changes()) {
            if (events.size() >= limit) {
                complete = false;
                break;
            }
            reached = change.ts();
            if (!inScope(change)) {
                continue;
            }
            Document event = applyStages(render(change));
            if (event != null) {
                events.add(event);
            }
        }
        position = complete ? slice.horizon() : reached;
        return new Batch(events, token(position));
    }

    /** Like a tailable awaitData cursor: waits up to {@code maxWaitMillis} for an event. */
    Batch nextAwaiting(int limit, long maxWaitMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + maxWaitMillis;
        while (true) {
            Batch batch = next(limit);
            long remaining = deadline - System.currentTimeMillis();
            if (!batch.events().isEmpty() || remaining <= 0) {
                return batch;
            }
            log.awaitAfter(position, remaining);
            if (log.clusterTime() <= position) {
                return next(limit);
            }
        }
    }

    private boolean inScope(ChangeLog.Change change) {
        return (db == null || db.equals(change.db())) && (coll == null || coll.equals(change.coll()));
    }

    private Document render(ChangeLog.Change change) {
        Document event = new Document("_id", token(change.ts()))
            .append("operationType", change.operationType())
            .append("clusterTime", new BsonTimestamp(change.ts()))
            .append("wallTime", change.wallTime())
            .append("ns", new Document("db", change.db()).append("coll", change.coll()));
        if (change.documentKey() != null) {
            event.append("documentKey", change.documentKey());
        }
        switch (change.operationType()) {
            case "insert", "replace" -> event.append("fullDocument", change.postImage());
            case "update" -> {
                event.append("updateDescription", change.updateDescription());
                switch (fullDocument) {
                    // real updateLookup reads the current version when the event is returned, not at write time
                    case "updateLookup" -> event.append("fullDocument",
                        lookup.find(change.db(), change.coll(), change.documentKey().get("_id")));
                    // as if changeStreamPreAndPostImages were enabled on every collection
                    case "whenAvailable", "required" -> event.append("fullDocument", change.postImage());
                    default -> {
                    }
                }
            }
            default -> {
            }
        }
        return event;
    }

    private static void validateStage(Document stage) {
        String name = stage.keySet().iterator().next();
        if (stage.size() != 1 || !List.of("$match", "$replaceRoot", "$replaceWith").contains(name)) {
            throw new MongoServerError(40324, "stand-in: change stream stage not supported: " + stage
                + " (supported after $changeStream: $match, $replaceRoot, $replaceWith)");
        }
    }

    private Document applyStages(Document event) {
        Document current = event;
        for (Document stage : stages) {
            Map.Entry<String, Object> spec = stage.entrySet().iterator().next();
            switch (spec.getKey()) {
                case "$match" -> {
                    if (!new DefaultQueryMatcher().matches(current, (Document) spec.getValue())) {
                        return null;
                    }
                }
                case "$replaceRoot" -> current = newRoot(((Document) spec.getValue()).get("newRoot"), current);
                case "$replaceWith" -> current = newRoot(spec.getValue(), current);
                default -> throw new IllegalStateException(spec.getKey());
            }
        }
        return current;
    }

    private static Document newRoot(Object expression, Document root) {
        if (evaluate(expression, root) instanceof Document document) {
            return document;
        }
        throw new MongoServerError(40228, "'newRoot' expression must evaluate to an object: " + expression);
    }

    /** {@code $$ROOT.} or {@code $$CURRENT.} before a field path: compiled once, as every event of every cursor is rendered with it. */
    private static final Pattern ROOT_PREFIX = Pattern.compile("^\\$\\$(ROOT|CURRENT)\\.");

    /** Field paths, $$ROOT/$$CURRENT, object literals, $concat and $literal; values found in the event are never re-evaluated. */
    private static Object evaluate(Object expression, Document root) {
        if (expression instanceof String string && string.startsWith("$")) {
            if (string.equals("$$ROOT") || string.equals("$$CURRENT")) {
                return root;
            }
            String path = ROOT_PREFIX.matcher(string).replaceFirst("\\$");
            if (path.startsWith("$$")) {
                throw new MongoServerError(17276, "stand-in: unsupported variable in change stream pipeline: " + string);
            }
            return Utils.getSubdocumentValue(root, path.substring(1));
        }
        if (expression instanceof Document document) {
            if (document.size() == 1 && document.keySet().iterator().next().startsWith("$")) {
                return evaluateOperator(document.keySet().iterator().next(), document.values().iterator().next(), root);
            }
            Document result = new Document();
            document.forEach((key, value) -> {
                Object evaluated = evaluate(value, root);
                if (!(evaluated instanceof Missing)) {
                    result.put(key, evaluated);
                }
            });
            return result;
        }
        if (expression instanceof List<?> list) {
            return list.stream().map(item -> evaluate(item, root)).toList();
        }
        return expression;
    }

    private static Object evaluateOperator(String operator, Object argument, Document root) {
        switch (operator) {
            case "$literal":
                return argument;
            case "$concat":
                StringBuilder result = new StringBuilder();
                for (Object part : (List<?>) argument) {
                    Object value = evaluate(part, root);
                    if (Missing.isNullOrMissing(value)) {
                        return null;
                    }
                    result.append(value);
                }
                return result.toString();
            default:
                throw new MongoServerError(168, "InvalidPipelineOperator",
                    "stand-in: unsupported expression in change stream pipeline: " + operator);
        }
    }
}
