package io.streamingetl.mongostandin;

import de.bwaldvogel.mongo.backend.Cursor;
import de.bwaldvogel.mongo.backend.Missing;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.aggregation.Aggregation;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.oplog.Oplog;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The stand-in's oplog: mongo-java-server reports every insert/update/delete here (through its {@link Oplog} hook), and
 * we keep them as change events ordered by a replica-set style cluster time, which also backs {@code operationTime} and
 * the resume tokens.
 * <p>
 * Replaces mongo-java-server's own {@code CollectionBackedOplog} because that one records an update's
 * {@code documentKey} as the update itself, has no {@code ns}/{@code wallTime}/{@code updateDescription}, and only
 * serves collection-level streams.
 * <p>
 * History is kept in memory for the lifetime of the stand-in, until {@link #truncate} drops its oldest changes as a real
 * oplog drops its oldest entries when it rolls over: a resume point before the oldest change kept is then lost. With a
 * limit ({@code maxChanges} above 0) it also rolls over by itself, as a real oplog of a fixed size does: past the limit
 * (and a tenth more, so that it does so now and then rather than at every change) the oldest changes are dropped until
 * {@code maxChanges} are left. Each change holds a copy of its document, so an unlimited log of millions of inserts
 * holds every document twice.
 */
final class ChangeLog implements Oplog {

    /** A recorded change; documents are deep copies taken at write time. */
    record Change(long ts, String operationType, String db, String coll, Document documentKey,
                  Document postImage, Document updateDescription, Instant wallTime) {
    }

    interface DocumentLookup {
        /** Current version of a document, or null if it (or its collection) is gone. */
        Document find(String db, String coll, Object id);
    }

    private final DocumentLookup lookup;
    private final int maxChanges;
    private final List<Change> changes = new ArrayList<>();
    /** Cluster time as a BSON timestamp value (seconds << 32 | increment). */
    private long clusterTime;
    /** The oldest resume point the log still serves: its start, then where a truncation left it. */
    private long oldest;
    private boolean closed;

    ChangeLog(DocumentLookup lookup) {
        this(lookup, 0);
    }

    /** @param maxChanges the most changes kept (0: every change), the oldest dropped past it */
    ChangeLog(DocumentLookup lookup, int maxChanges) {
        this.lookup = lookup;
        this.maxChanges = maxChanges;
        this.clusterTime = Instant.now().getEpochSecond() << 32;
        this.oldest = clusterTime;
    }

    synchronized long clusterTime() {
        return clusterTime;
    }

    /**
     * Resume points older than this point to history the stand-in no longer has (truncated) or never had (offsets from a
     * previous run): as a mongod whose oplog no longer holds them, it answers {@code ChangeStreamHistoryLost}.
     */
    synchronized long oldest() {
        return oldest;
    }

    /**
     * Drops all but the newest {@code keep} changes, as a real oplog drops its oldest entries when it rolls over: a change
     * stream may then resume only from the oldest change kept (or, with none kept, from now). Returns how many were dropped.
     */
    synchronized int truncate(int keep) {
        int dropped = Math.max(0, changes.size() - Math.max(0, keep));
        changes.subList(0, dropped).clear();
        oldest = changes.isEmpty() ? clusterTime : changes.get(0).ts();
        return dropped;
    }

    /** Changes after {@code position}, plus the cluster time they are complete up to. */
    synchronized Slice since(long position) {
        int from = firstAfter(position);
        return new Slice(new ArrayList<>(changes.subList(from, changes.size())), clusterTime);
    }

    record Slice(List<Change> changes, long horizon) {
    }

    /** Waits until the cluster time passes {@code position}, the timeout elapses, or the log closes. */
    synchronized void awaitAfter(long position, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        long remaining = timeoutMillis;
        while (!closed && clusterTime <= position && remaining > 0) {
            wait(remaining);
            remaining = deadline - System.currentTimeMillis();
        }
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    private int firstAfter(long position) {
        int low = 0;
        int high = changes.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (changes.get(mid).ts() <= position) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    private synchronized void append(String operationType, String namespace, Document documentKey, Document postImage,
                                     Document updateDescription) {
        long seconds = Instant.now().getEpochSecond();
        clusterTime = seconds > (clusterTime >>> 32) ? (seconds << 32) | 1 : clusterTime + 1;
        String db = Utils.getDatabaseNameFromFullName(namespace);
        String coll = Utils.getCollectionNameFromFullName(namespace);
        changes.add(new Change(clusterTime, operationType, db, coll, documentKey, postImage, updateDescription, Instant.now()));
        if (maxChanges > 0 && changes.size() > maxChanges + Math.max(1, maxChanges / 10)) {
            truncate(maxChanges);
        }
        notifyAll();
    }

    private static boolean isInternal(String namespace) {
        String db = Utils.getDatabaseNameFromFullName(namespace);
        return db.equals("admin") || db.equals("config") || db.equals("local")
            || Utils.getCollectionNameFromFullName(namespace).startsWith("system.");
    }

    @Override
    public void handleInsert(String namespace, List<Document> documents) {
        if (isInternal(namespace)) {
            return;
        }
        String db = Utils.getDatabaseNameFromFullName(namespace);
        String coll = Utils.getCollectionNameFromFullName(namespace);
        for (Document document : documents) {
            Object id = document.get("_id");
            // mongo-java-server reports the whole batch even when some inserts failed (e.g. duplicate key)
            if (id != null && Objects.equals(lookup.find(db, coll, id), document)) {
                append("insert", namespace, new Document("_id", id), document.cloneDeeply(), null);
            }
        }
    }

    @Override
    public void handleUpdate(String namespace, Document selector, Document update, List<Object> modifiedIds) {
        if (isInternal(namespace)) {
            return;
        }
        String db = Utils.getDatabaseNameFromFullName(namespace);
        String coll = Utils.getCollectionNameFromFullName(namespace);
        boolean replacement = update.keySet().stream().noneMatch(key -> key.startsWith("$"));
        for (Object id : modifiedIds) {
            // called after the write, so this is the post-image
            Document postImage = lookup.find(db, coll, id);
            if (postImage == null) {
                continue;
            }
            if (replacement) {
                append("replace", namespace, new Document("_id", id), postImage, null);
            } else {
                append("update", namespace, new Document("_id", id), postImage, updateDescription(update, postImage));
            }
        }
    }

    @Override
    public void handleDelete(String namespace, Document query, List<Object> deletedIds) {
        if (isInternal(namespace)) {
            return;
        }
        for (Object id : deletedIds) {
            append("delete", namespace, new Document("_id", id), null, null);
        }
    }

    @Override
    public void handleDropCollection(String namespace) {
        if (!isInternal(namespace)) {
            append("drop", namespace, null, null, null);
        }
    }

    @Override
    public Cursor createCursor(Document changeStreamDocument, String namespace, Aggregation aggregation) {
        // ReplicaSetBackend answers every $changeStream itself; reaching this would mean it missed one.
        throw new MongoServerError(115, "CommandNotSupported", "stand-in: change stream not routed through ReplicaSetBackend");
    }

    /**
     * Like MongoDB's: paths named by the update operators, with their values taken from the post-image (so that
     * {@code $inc} etc. report the resulting value). Positional paths ({@code a.$.b}) are reported up to the array.
     */
    private static Document updateDescription(Document update, Document postImage) {
        Document updatedFields = new Document();
        List<String> removedFields = new ArrayList<>();
        for (Map.Entry<String, Object> operator : update.entrySet()) {
            if (!(operator.getValue() instanceof Document)) {
                continue;
            }
            Document fields = (Document) operator.getValue();
            switch (operator.getKey()) {
                case "$unset" -> removedFields.addAll(fields.keySet());
                case "$setOnInsert" -> {
                }
                case "$rename" -> fields.forEach((from, to) -> {
                    removedFields.add(from);
                    putValue(updatedFields, postImage, String.valueOf(to));
                });
                default -> fields.keySet().forEach(path -> putValue(updatedFields, postImage, path));
            }
        }
        return new Document("updatedFields", updatedFields)
            .append("removedFields", removedFields)
            .append("truncatedArrays", List.of());
    }

    private static void putValue(Document updatedFields, Document postImage, String path) {
        int positional = path.indexOf(".$");
        String reported = positional < 0 ? path : path.substring(0, positional);
        Object value = Utils.getSubdocumentValueCollectionAware(postImage, reported);
        if (!(value instanceof Missing)) {
            updatedFields.put(reported, value);
        }
    }
}
