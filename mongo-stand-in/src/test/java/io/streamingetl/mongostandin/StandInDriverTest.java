package io.streamingetl.mongostandin;

import static com.mongodb.client.model.Filters.eq;
import static com.mongodb.client.model.Updates.combine;
import static com.mongodb.client.model.Updates.inc;
import static com.mongodb.client.model.Updates.set;
import static com.mongodb.client.model.Updates.unset;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoChangeStreamCursor;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.changestream.ChangeStreamDocument;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.connection.ClusterType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The stand-in as the plain mongodb-driver-sync sees it (the driver Debezium brings). */
class StandInDriverTest {

    private MongoReplicaSetStandIn standIn;
    private MongoClient client;

    @BeforeEach
    void start() {
        standIn = MongoReplicaSetStandIn.start("127.0.0.1", 0, "my-replica-set");
        client = MongoClients.create(standIn.connectionString());
    }

    @AfterEach
    void stop() {
        client.close();
        standIn.close();
    }

    @Test
    void looksLikeAReplicaSetPrimary() {
        BsonDocument hello = client.getDatabase("logistics").runCommand(new Document("hello", 1), BsonDocument.class);

        assertThat(hello.getString("setName").getValue()).isEqualTo("my-replica-set");
        assertThat(hello.getBoolean("isWritablePrimary").getValue()).isTrue();
        assertThat(hello.getString("primary").getValue()).isEqualTo("127.0.0.1:" + standIn.port());
        assertThat(hello.getArray("hosts")).hasSize(1);
        assertThat(hello.isTimestamp("operationTime")).isTrue();
        assertThat(client.getClusterDescription().getType()).isEqualTo(ClusterType.REPLICA_SET);
        assertThat(client.listDatabaseNames().into(new ArrayList<>())).contains("admin", "config", "local");
    }

    @Test
    void clusterDatabaseAndCollectionStreamsCarryMongoShapedEvents() {
        MongoCollection<Document> orders = client.getDatabase("logistics").getCollection("orders");
        try (var cluster = client.watch(BsonDocument.class).fullDocument(FullDocument.UPDATE_LOOKUP)
                .maxAwaitTime(100, TimeUnit.MILLISECONDS).cursor();
             var database = client.getDatabase("logistics").watch(BsonDocument.class).cursor();
             var collection = orders.watch(BsonDocument.class).cursor()) {
            // nothing happened yet: an empty batch still carries a resume token (postBatchResumeToken)
            assertThat(cluster.tryNext()).isNull();
            assertThat(cluster.getResumeToken()).isNotNull();

            orders.insertOne(new Document("_id", 1).append("status", "NEW").append("qty", 1));
            orders.updateOne(eq("_id", 1), combine(set("status", "PAID"), inc("qty", 2), unset("missing")));
            orders.replaceOne(eq("_id", 1), new Document("status", "REPLACED"));
            client.getDatabase("logistics").getCollection("shipments").insertOne(new Document("_id", "s-1"));
            client.getDatabase("other").getCollection("x").insertOne(new Document("_id", 9));
            orders.deleteOne(eq("_id", 1));

            List<ChangeStreamDocument<BsonDocument>> all = take(cluster, 6);
            assertThat(all).extracting(e -> e.getOperationTypeString() + " " + e.getNamespace().getFullName())
                .containsExactly("insert logistics.orders", "update logistics.orders", "replace logistics.orders",
                    "insert logistics.shipments", "insert other.x", "delete logistics.orders");
            ChangeStreamDocument<BsonDocument> update = all.get(1);
            assertThat(update.getDocumentKey()).isEqualTo(BsonDocument.parse("{_id: 1}"));
            assertThat(update.getUpdateDescription().getUpdatedFields()).isEqualTo(BsonDocument.parse("{status: 'PAID', qty: 3}"));
            assertThat(update.getUpdateDescription().getRemovedFields()).containsExactly("missing");
            // updateLookup reads the current version: the document was deleted before the event was read
            assertThat(update.getFullDocument()).isNull();
            assertThat(all.get(0).getFullDocument()).isEqualTo(BsonDocument.parse("{_id: 1, status: 'NEW', qty: 1}"));
            assertThat(all.get(0).getClusterTime()).isNotNull();
            assertThat(all.get(0).getWallTime()).isNotNull();
            assertThat(all.get(2).getFullDocument()).isEqualTo(BsonDocument.parse("{_id: 1, status: 'REPLACED'}"));
            assertThat(all.get(5).getDocumentKey()).isEqualTo(BsonDocument.parse("{_id: 1}"));

            assertThat(take(database, 5)).extracting(e -> e.getNamespace().getFullName()).containsExactly(
                "logistics.orders", "logistics.orders", "logistics.orders", "logistics.shipments", "logistics.orders");
            assertThat(take(collection, 4)).extracting(ChangeStreamDocument::getOperationTypeString)
                .containsExactly("insert", "update", "replace", "delete");

            // resume after the first event replays exactly the rest
            try (var resumed = client.watch(BsonDocument.class).resumeAfter(all.get(0).getResumeToken()).cursor()) {
                assertThat(take(resumed, 5)).extracting(ChangeStreamDocument::getResumeToken)
                    .containsExactlyElementsOf(all.subList(1, 6).stream().map(ChangeStreamDocument::getResumeToken).toList());
            }
            try (var started = orders.watch(BsonDocument.class).startAtOperationTime(all.get(1).getClusterTime()).cursor()) {
                assertThat(take(started, 3)).extracting(ChangeStreamDocument::getOperationTypeString)
                    .containsExactly("update", "replace", "delete");
            }
        }
    }

    @Test
    void debeziumShapedPipelineFiltersWithoutReinterpretingDocuments() {
        List<Document> pipeline = List.of(
            Document.parse("{$replaceRoot: {newRoot: {namespace: {$concat: ['$ns.db', '.', '$ns.coll']}, event: '$$ROOT'}}}"),
            Document.parse("{$match: {$and: [{namespace: {$regex: 'logistics.orders', $options: 'i'}},"
                + " {'event.operationType': {$in: ['insert', 'update', 'replace', 'delete']}}]}}"),
            Document.parse("{$replaceRoot: {newRoot: '$event'}}"));
        try (var stream = client.watch(pipeline, BsonDocument.class).maxAwaitTime(100, TimeUnit.MILLISECONDS).cursor()) {
            client.getDatabase("logistics").getCollection("other").insertOne(new Document("_id", 1));
            client.getDatabase("logistics").getCollection("orders").insertOne(new Document("_id", 2).append("note", "$5 off"));

            List<ChangeStreamDocument<BsonDocument>> events = take(stream, 1);
            assertThat(events).extracting(e -> e.getNamespace().getFullName()).containsExactly("logistics.orders");
            assertThat(events.get(0).getFullDocument()).isEqualTo(BsonDocument.parse("{_id: 2, note: '$5 off'}"));
            assertThat(stream.tryNext()).isNull();
        }
        // stages the stand-in cannot run are refused rather than ignored
        assertThatThrownBy(() -> client.watch(List.of(Document.parse("{$project: {ns: 1}}"))).cursor())
            .isInstanceOf(MongoCommandException.class)
            .hasMessageContaining("change stream stage not supported");
    }

    /**
     * Truncated as a real oplog rolls over, its change log serves resume points from the oldest change kept on; one
     * before it, and a stream that had not read what was dropped, fail with 286 ChangeStreamHistoryLost as on a mongod.
     */
    @Test
    void aTruncatedChangeLogAnswersChangeStreamHistoryLostForAResumePointItNoLongerHas() {
        MongoCollection<Document> orders = client.getDatabase("logistics").getCollection("orders");
        try (var reader = orders.watch(BsonDocument.class).maxAwaitTime(100, TimeUnit.MILLISECONDS).cursor();
             var behind = orders.watch(BsonDocument.class).maxAwaitTime(100, TimeUnit.MILLISECONDS).cursor()) {
            for (int i = 1; i <= 4; i++) {
                orders.insertOne(new Document("_id", i));
            }
            List<ChangeStreamDocument<BsonDocument>> all = take(reader, 4);

            BsonDocument answer = client.getDatabase("admin").runCommand(new Document("truncateChangeLog", 1).append("keep", 2),
                BsonDocument.class);

            assertThat(answer.getInt32("dropped").getValue()).isEqualTo(2);
            // The oldest change kept is the third: resumed after it, the fourth comes; after the second, which a mongod's
            // oplog would no longer hold either, the history is lost.
            try (var resumed = orders.watch(BsonDocument.class).resumeAfter(all.get(2).getResumeToken()).cursor()) {
                assertThat(take(resumed, 1)).extracting(e -> e.getDocumentKey().getInt32("_id").getValue()).containsExactly(4);
            }
            BsonDocument lost = all.get(1).getResumeToken();
            assertThatThrownBy(() -> orders.watch(BsonDocument.class).resumeAfter(lost).cursor())
                .isInstanceOfSatisfying(MongoCommandException.class, e -> {
                    assertThat(e.getErrorCode()).isEqualTo(286);
                    assertThat(e.getErrorCodeName()).isEqualTo("ChangeStreamHistoryLost");
                });
            assertThatThrownBy(behind::tryNext).as("a stream that had not read the dropped changes")
                .isInstanceOfSatisfying(MongoCommandException.class, e -> assertThat(e.getErrorCode()).isEqualTo(286));
        }
        assertThat(standIn.truncateChangeLog(0)).isEqualTo(2);
    }

    private static List<ChangeStreamDocument<BsonDocument>> take(MongoChangeStreamCursor<ChangeStreamDocument<BsonDocument>> cursor, int count) {
        List<ChangeStreamDocument<BsonDocument>> events = new ArrayList<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (events.size() < count && System.nanoTime() < deadline) {
            ChangeStreamDocument<BsonDocument> event = cursor.tryNext();
            if (event != null) {
                events.add(event);
            }
        }
        return events;
    }
}
