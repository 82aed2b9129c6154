package io.streamingetl.mongostandin;

import de.bwaldvogel.mongo.MongoServer;
import java.net.InetSocketAddress;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A STAND-IN for a single-node MongoDB replica set, for the local stack where no real {@code mongod} can be installed:
 * mongo-java-server with its in-memory backend, plus a layer ({@link ReplicaSetBackend}, {@link ChangeLog},
 * {@link ChangeStreamCursor}) that answers like a replica-set primary and serves change streams well enough for
 * Debezium's MongoDB connector (snapshot, then streaming; resume from stored offsets).
 * <p>
 * Emulated: replica-set {@code hello}/{@code isMaster} ({@code setName}, {@code hosts}, {@code primary},
 * {@code isWritablePrimary}, {@code lastWrite}); {@code operationTime} on every successful reply; change streams on
 * {@code admin} ({@code allChangesForCluster}), on a database and on a collection, with {@code postBatchResumeToken},
 * {@code resumeAfter}/{@code startAfter}/{@code startAtOperationTime}, {@code fullDocument: updateLookup} (and
 * {@code whenAvailable}/{@code required}, served from the post-image kept at write time); events for insert, update
 * ({@code updateDescription}), replace, delete and drop, shaped like MongoDB's; {@code $match}, {@code $replaceRoot}
 * and {@code $replaceWith} after {@code $changeStream} (what Debezium's pipeline uses).
 * <p>
 * Not supported (known limits): no change events for {@code findAndModify} ({@code findOneAndUpdate} & co.); no
 * transactions and no sessions; no pre-images ({@code fullDocumentBeforeChange} is never set); no {@code invalidate},
 * {@code rename} or {@code dropDatabase} events; other pipeline stages are rejected; {@code $clusterTime} is not
 * gossiped; data and change history live in memory only, so offsets from an earlier run make the stream fail with
 * {@code ChangeStreamHistoryLost}; getMore batches are capped by count (1000), not by size.
 * <p>
 * Its change log, unlike a real oplog, does not roll over by itself unless the system property
 * {@value #CHANGES_KEPT_PROPERTY} limits how many changes it keeps (as the backfill benchmark does: each change holds a
 * copy of its document, so millions of inserts would be held twice); {@link #truncateChangeLog} (or the command
 * {@code {truncateChangeLog: 1, keep: n}} on {@code admin}) drops its oldest changes, after which a change stream resumed
 * from before them fails with error 286 {@code ChangeStreamHistoryLost}, as a mongod's does once its oplog has rolled
 * over, and so does an open stream that had not read them yet.
 */
public final class MongoReplicaSetStandIn implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MongoReplicaSetStandIn.class);
    /**
     * A getMore on a change stream waits (up to 1 s) on a netty worker thread, delaying other connections served by
     * that event loop; many loops keep such collisions rare.
     */
    private static final int WORKER_THREADS = 16;
    /**
     * The most changes its change log keeps, the oldest dropped past it as a real oplog of a fixed size rolls over
     * (unset or 0: every change, for the stand-in's lifetime).
     */
    public static final String CHANGES_KEPT_PROPERTY = "mongo.standin.changes.kept";

    private final MongoServer server;
    private final ReplicaSetBackend backend;
    private final String host;
    private final int port;
    private final String replicaSetName;

    private MongoReplicaSetStandIn(MongoServer server, ReplicaSetBackend backend, String host, int port, String replicaSetName) {
        this.server = server;
        this.backend = backend;
        this.host = host;
        this.port = port;
        this.replicaSetName = replicaSetName;
    }

    /**
     * @param host the address to bind; also advertised as the replica set's only member ({@code hosts}, {@code me}),
     *             and replica-set clients then connect to that address, so it must be reachable by them
     * @param port 0 for a free port
     */
    public static MongoReplicaSetStandIn start(String host, int port, String replicaSetName) {
        int kept = Integer.getInteger(CHANGES_KEPT_PROPERTY, 0);
        ReplicaSetBackend backend = new ReplicaSetBackend(replicaSetName, host, kept);
        MongoServer server = new MongoServer(backend);
        server.bind(new InetSocketAddress(host, port), 1, WORKER_THREADS);
        MongoReplicaSetStandIn standIn = new MongoReplicaSetStandIn(server, backend, host, server.getLocalAddress().getPort(), replicaSetName);
        LOG.info("MongoDB STAND-IN (mongo-java-server, in memory, NOT a real mongod) started as single-node replica set '{}', "
            + "listening on {}:{}; connection string {}{}", replicaSetName, host, standIn.port, standIn.connectionString(),
            kept > 0 ? "; its change log keeps the last " + kept + " changes" : "");
        return standIn;
    }

    public String connectionString() {
        return "mongodb://" + host + ":" + port + "/?replicaSet=" + replicaSetName;
    }

    public int port() {
        return port;
    }

    /** Drops all but the newest {@code keep} changes of its change log, as a real oplog rolls over; returns how many were dropped. */
    public int truncateChangeLog(int keep) {
        int dropped = backend.truncate(keep);
        LOG.info("MongoDB STAND-IN: change log truncated, {} changes dropped, {} kept", dropped, keep);
        return dropped;
    }

    @Override
    public void close() {
        backend.releaseWaitingCursors();
        server.shutdownNow();
        LOG.info("MongoDB STAND-IN on {}:{} stopped", host, port);
    }
}
