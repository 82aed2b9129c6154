package io.streamingetl.logistics;

import com.mongodb.MongoCommandException;
import com.mongodb.MongoException;
import com.mongodb.client.ChangeStreamIterable;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.debezium.connector.mongodb.ResumeTokens;
import io.streamingetl.cdc.CaptureHistory;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonTimestamp;
import org.bson.Document;

/**
 * Whether MongoDB's oplog still holds capture's stored resume point: a change stream is opened from it, as Debezium's own
 * check does when it starts ({@code MongoDbConnection#validateLogPosition}), on the orders' database, which the capture's
 * login may watch. Error 286 {@code ChangeStreamHistoryLost} (or 280, the token not found) means the oplog rolled over
 * past it while capture was stopped or behind: the changes in between are gone.
 */
final class ResumeTokenHistory implements CaptureHistory {
    /** ChangeStreamHistoryLost, ChangeStreamFatalError: what a mongod answers for a resume point its oplog no longer has. */
    private static final Set<Integer> LOST = Set.of(286, 280);

    private final LogisticsCdcConfig config;

    ResumeTokenHistory(LogisticsCdcConfig config) {
        this.config = config;
    }

    @Override
    public Optional<String> lostAfter(Map<String, Object> stored) {
        if (Boolean.TRUE.equals(stored.get("initsync"))) {
            return Optional.empty(); // a snapshot that did not end: Debezium takes it again
        }
        BsonDocument token = token(stored);
        BsonTimestamp time = token != null ? ResumeTokens.getTimestamp(token)
                : stored.get("sec") instanceof Number sec ? new BsonTimestamp(sec.intValue(),
                stored.get("ord") instanceof Number ord ? ord.intValue() : 0) : null;
        if (time == null) {
            return Optional.empty();
        }
        String database = config.ordersCollection().substring(0, config.ordersCollection().indexOf('.'));
        try (MongoClient client = MongoClients.create(config.clientSettings())) {
            ChangeStreamIterable<Document> stream = client.getDatabase(database).watch().maxAwaitTime(1, TimeUnit.SECONDS);
            stream = token != null ? stream.resumeAfter(token) : stream.startAtOperationTime(time);
            try (var opened = stream.cursor()) {
                return Optional.empty();
            }
        } catch (MongoCommandException e) {
            return LOST.contains(e.getErrorCode()) ? Optional.of(lost(time, e)) : Optional.empty();
        } catch (MongoException | IllegalArgumentException e) {
            return Optional.empty(); // unreachable or unreadable: Debezium's own check, which retries, tells
        }
    }

    /** The driver's 286 or 280 from a stream that fell off the oplog while capture ran. */
    @Override
    public Optional<String> explains(Throwable failure) {
        return failure instanceof MongoCommandException e && LOST.contains(e.getErrorCode())
                ? Optional.of("MongoDB's oplog no longer has the changes capture had not read: " + e.getErrorCodeName() + " ("
                + e.getErrorCode() + "): " + e.getErrorMessage())
                : Optional.empty();
    }

    private static String lost(BsonTimestamp time, MongoCommandException e) {
        return "MongoDB's oplog no longer has the changes after the stored resume point (cluster time "
                + Instant.ofEpochSecond(time.getTime()) + ", " + time.getInc() + "): it rolled over while capture was stopped or"
                + " behind; " + e.getErrorCodeName() + " (" + e.getErrorCode() + "): " + e.getErrorMessage();
    }

    /** The stored resume token: base64 BSON as Debezium writes it, or the older form, its {@code _data} alone. */
    private static BsonDocument token(Map<String, Object> stored) {
        if (!(stored.get("resume_token") instanceof String data)) {
            return null;
        }
        try {
            return ResumeTokens.fromBase64(data);
        } catch (RuntimeException olderForm) {
            return ResumeTokens.fromData(data);
        }
    }
}
