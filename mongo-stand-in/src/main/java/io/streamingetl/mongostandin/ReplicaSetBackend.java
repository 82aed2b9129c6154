package io.streamingetl.mongostandin;

import de.bwaldvogel.mongo.MongoCollection;
import de.bwaldvogel.mongo.backend.Utils;
import de.bwaldvogel.mongo.backend.memory.MemoryBackend;
import de.bwaldvogel.mongo.backend.memory.MemoryDatabase;
import de.bwaldvogel.mongo.bson.BsonTimestamp;
import de.bwaldvogel.mongo.bson.Document;
import de.bwaldvogel.mongo.bson.ObjectId;
import de.bwaldvogel.mongo.exception.MongoServerError;
import de.bwaldvogel.mongo.oplog.Oplog;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * mongo-java-server's in-memory backend, made to look like the primary of a single-node replica set: replica-set
 * {@code hello}/{@code isMaster}, {@code operationTime} on every reply, and change streams (cluster-wide on
 * {@code admin}, per database, per collection) served from the {@link ChangeLog} with {@code postBatchResumeToken}.
 */
final class ReplicaSetBackend extends MemoryBackend {

    /** Bounds how long a getMore may hold a netty worker thread when the client sets no maxTimeMS (mongod's default). */
    private static final long DEFAULT_AWAIT_MILLIS = 1000;
    private static final ObjectId ELECTION_ID = new ObjectId("7fffffff0000000000000001");

    private final String replicaSetName;
    private final String advertisedHost;
    private final ChangeLog changeLog;
    private final Map<Long, ChangeStreamCursor> changeStreams = new ConcurrentHashMap<>();

    /** @param maxChanges the most changes its change log keeps, as an oplog of a fixed size (0: every change) */
    ReplicaSetBackend(String replicaSetName, String advertisedHost, int maxChanges) {
        this.changeLog = new ChangeLog(this::find, maxChanges);
        this.replicaSetName = replicaSetName;
        this.advertisedHost = advertisedHost;
        this.oplog = changeLog;
        // a real replica set always lists these; Debezium's connection validation fails on an empty database list
        resolveDatabase("admin");
        resolveDatabase("config");
        resolveDatabase("local");
    }

    @Override
    protected Oplog createOplog() {
        return changeLog;
    }

    /** Databases whose collections answer queries sorted by {@code _id} from that order ({@link IdOrderedCollection}). */
    @Override
    public MemoryDatabase openOrCreateDatabase(String databaseName) {
        return new IdOrderedDatabase(databaseName, getCursorRegistry());
    }

    @Override
    public Document handleCommand(Channel channel, String databaseName, String command, Document query) {
        Document reply;
        ChangeStreamCursor changeStream = command.equalsIgnoreCase("getMore") ? changeStreams.get(cursorId(query.get(command))) : null;
        if (command.equalsIgnoreCase("hello") || command.equalsIgnoreCase("isMaster")) {
            reply = hello(channel, databaseName, command, query);
        } else if (command.equalsIgnoreCase("aggregate") && changeStreamOptions(query) != null) {
            reply = openChangeStream(databaseName, query);
        } else if (changeStream != null) {
            reply = getMore(changeStream, query);
        } else if (command.equals(TRUNCATE_CHANGE_LOG) && databaseName.equals("admin")) {
            reply = truncateChangeLog(query);
        } else if (command.equalsIgnoreCase("killCursors")) {
            reply = killCursors(channel, databaseName, command, query);
        } else if (command.equalsIgnoreCase("listCollections") && databaseName.equals("admin")) {
            // mongo-java-server treats admin as command-only; Debezium lists the collections of every database
            reply = resolveDatabase(databaseName).handleCommand(channel, command, query, this::resolveDatabase, oplog);
        } else {
            reply = super.handleCommand(channel, databaseName, command, query);
        }
        if (reply != null && Utils.isTrue(reply.get("ok"))) {
            reply.put("operationTime", new BsonTimestamp(changeLog.clusterTime()));
        }
        return reply;
    }

    /**
     * {@code {truncateChangeLog: 1, keep: <n>}} on {@code admin}, the stand-in's own command (a mongod has none: its oplog
     * rolls over by size): drops all but the newest {@code keep} changes (0 by default), so a change stream can no longer
     * resume from before them, as after a real oplog's roll-over.
     */
    static final String TRUNCATE_CHANGE_LOG = "truncateChangeLog";

    private Document truncateChangeLog(Document query) {
        int keep = query.get("keep") instanceof Number n ? n.intValue() : 0;
        Document reply = new Document("dropped", truncate(keep)).append("oldestResumePoint", new BsonTimestamp(changeLog.oldest()));
        Utils.markOkay(reply);
        return reply;
    }

    /** As {@link #TRUNCATE_CHANGE_LOG}: returns how many changes were dropped. */
    int truncate(int keep) {
        return changeLog.truncate(keep);
    }

    private Document hello(Channel channel, String databaseName, String command, Document query) {
        Document reply = super.handleCommand(channel, databaseName, "ismaster", query);
        if (command.equalsIgnoreCase("hello")) {
            reply.remove("ismaster");
            reply.put("isWritablePrimary", Boolean.TRUE);
        }
        String me = advertisedHost + ":" + ((InetSocketAddress) channel.localAddress()).getPort();
        BsonTimestamp lastWrite = new BsonTimestamp(changeLog.clusterTime());
        Document opTime = new Document("ts", lastWrite).append("t", 1L);
        Instant lastWriteDate = Instant.ofEpochSecond(lastWrite.getTime());
        reply.append("helloOk", Boolean.TRUE)
            .append("secondary", Boolean.FALSE)
            .append("setName", replicaSetName)
            .append("setVersion", 1)
            .append("hosts", List.of(me))
            .append("primary", me)
            .append("me", me)
            .append("electionId", ELECTION_ID)
            .append("lastWrite", new Document("opTime", opTime).append("lastWriteDate", lastWriteDate)
                .append("majorityOpTime", opTime).append("majorityWriteDate", lastWriteDate))
            .append("readOnly", Boolean.FALSE);
        // Deliberately no topologyVersion: it would switch the driver to awaitable (streaming) hello, which would park
        // a netty worker thread for 10 s per call. No logicalSessionTimeoutMinutes either: no sessions/transactions.
        return reply;
    }

    private static Document changeStreamOptions(Document query) {
        Object pipeline = query.get("pipeline");
        if (pipeline instanceof List<?> stages && !stages.isEmpty() && stages.get(0) instanceof Document first) {
            return (Document) first.get("$changeStream");
        }
        return null;
    }

    private Document openChangeStream(String databaseName, Document query) {
        Document options = changeStreamOptions(query);
        Object target = query.get("aggregate");
        String db;
        String coll = null;
        String namespace;
        if (databaseName.equals("admin")) {
            if (!Utils.isTrue(options.get("allChangesForCluster")) || !(target instanceof Number)) {
                throw new MongoServerError(73, "InvalidNamespace",
                    "$changeStream may not be opened on the internal admin database");
            }
            db = null;
            namespace = "admin.$cmd.aggregate";
        } else if (target instanceof Number) {
            db = databaseName;
            namespace = databaseName + ".$cmd.aggregate";
        } else {
            db = databaseName;
            coll = String.valueOf(target);
            namespace = databaseName + "." + coll;
        }
        List<Document> stages = new ArrayList<>();
        List<?> pipeline = (List<?>) query.get("pipeline");
        pipeline.subList(1, pipeline.size()).forEach(stage -> stages.add((Document) stage));
        ChangeStreamCursor cursor = new ChangeStreamCursor(getCursorRegistry().generateCursorId(), namespace, db, coll,
            options, stages, changeLog, this::find);
        changeStreams.put(cursor.id(), cursor);

        Document cursorOptions = (Document) query.getOrDefault("cursor", new Document());
        int batchSize = ((Number) cursorOptions.getOrDefault("batchSize", 101)).intValue();
        return cursorReply(cursor, "firstBatch", cursor.next(Math.min(batchSize, ChangeStreamCursor.MAX_BATCH)));
    }

    private Document getMore(ChangeStreamCursor cursor, Document query) {
        int batchSize = ((Number) query.getOrDefault("batchSize", 0)).intValue();
        int limit = batchSize > 0 ? Math.min(batchSize, ChangeStreamCursor.MAX_BATCH) : ChangeStreamCursor.MAX_BATCH;
        long maxWait = query.get("maxTimeMS") instanceof Number number ? number.longValue() : DEFAULT_AWAIT_MILLIS;
        try {
            return cursorReply(cursor, "nextBatch", cursor.nextAwaiting(limit, Math.min(maxWait, DEFAULT_AWAIT_MILLIS)));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new MongoServerError(11601, "Interrupted", "stand-in: interrupted");
        }
    }

    private static Document cursorReply(ChangeStreamCursor cursor, String batchField, ChangeStreamCursor.Batch batch) {
        Document cursorDocument = new Document(batchField, batch.events())
            .append("postBatchResumeToken", batch.postBatchResumeToken())
            .append("id", cursor.id())
            .append("ns", cursor.namespace());
        Document reply = new Document("cursor", cursorDocument);
        Utils.markOkay(reply);
        return reply;
    }

    @SuppressWarnings("unchecked") // mongo-java-server builds these lists as List<Long>
    private Document killCursors(Channel channel, String databaseName, String command, Document query) {
        List<Long> killed = new ArrayList<>();
        List<Long> others = new ArrayList<>();
        for (Object id : (List<?>) query.get("cursors")) {
            (changeStreams.remove(cursorId(id)) != null ? killed : others).add(cursorId(id));
        }
        Document reply = super.handleCommand(channel, databaseName, command, new Document(query).append("cursors", others));
        ((List<Long>) reply.get("cursorsKilled")).addAll(killed);
        return reply;
    }

    private static long cursorId(Object value) {
        return value instanceof Number number ? number.longValue() : 0L;
    }

    /** Deep copy of the current version of a document; null if it, its collection or its database is gone. */
    private Document find(String db, String coll, Object id) {
        if (!listDatabaseNames().contains(db)) {
            return null;
        }
        MongoCollection<?> collection = resolveDatabase(db).resolveCollection(coll, false);
        if (collection == null) {
            return null;
        }
        return collection.handleQueryAsStream(new Document("_id", id)).findFirst().map(Document::cloneDeeply).orElse(null);
    }

    /** Releases getMores waiting for events, so that netty's worker threads can stop at once. */
    void releaseWaitingCursors() {
        changeLog.close();
    }

    @Override
    public void close() {
        changeLog.close();
        changeStreams.clear();
        super.close();
    }
}
