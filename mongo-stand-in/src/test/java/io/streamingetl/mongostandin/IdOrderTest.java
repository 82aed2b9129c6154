package io.streamingetl.mongostandin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.mongodb.MongoCommandException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Projections;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.Document;
import org.bson.types.ObjectId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Queries sorted by {@code _id} answered from the documents' {@code _id} order ({@link IdOrderedCollection}), as an
 * incremental snapshot makes them, give what a scan and a sort give; and a change log with a limit rolls over.
 */
class IdOrderTest {
    private MongoReplicaSetStandIn standIn;
    private MongoClient client;

    private void start() {
        standIn = MongoReplicaSetStandIn.start("127.0.0.1", 0, "my-replica-set");
        client = MongoClients.create(standIn.connectionString());
    }

    @AfterEach
    void stop() {
        System.clearProperty(MongoReplicaSetStandIn.CHANGES_KEPT_PROPERTY);
        client.close();
        standIn.close();
    }

    @Test
    void rangesOfIdsSortedAndLimitedAreTheDocumentsAScanAndASortGive() {
        start();
        MongoCollection<Document> orders = client.getDatabase("logistics").getCollection("orders");
        List<ObjectId> ids = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            ids.add(new ObjectId());
        }
        List<Document> shuffled = new ArrayList<>();
        ids.forEach(id -> shuffled.add(new Document("_id", id).append("n", ids.indexOf(id)).append("odd", ids.indexOf(id) % 2)));
        Collections.shuffle(shuffled, new Random(7));
        orders.insertMany(shuffled);
        orders.deleteOne(new Document("_id", ids.get(101)));
        List<ObjectId> remaining = new ArrayList<>(ids);
        remaining.remove(101);

        // The maximum key, then a chunk's ids and the chunk itself, as Debezium asks them.
        assertThat(orders.find().sort(new Document("_id", -1)).limit(1).first().get("_id")).isEqualTo(ids.get(499));
        assertThat(orders.find(new Document("odd", 0)).sort(new Document("_id", -1)).limit(1).first().get("_id"))
            .isEqualTo(ids.get(498));
        Document range = new Document("$and", List.of(new Document("_id", new Document("$gt", ids.get(99))),
            new Document("_id", new Document("$lte", ids.get(499)))));
        assertThat(orders.withDocumentClass(BsonDocument.class).find(range).sort(new Document("_id", 1))
            .projection(Projections.include("_id")).limit(10).into(new ArrayList<>()))
            .extracting(key -> key.getObjectId("_id").getValue()).containsExactlyElementsOf(remaining.subList(100, 110))
            .doesNotContain(ids.get(101));
        assertThat(orders.withDocumentClass(BsonDocument.class).find(range).sort(new Document("_id", 1))
            .projection(Projections.include("_id")).limit(10).first()).isEqualTo(new BsonDocument("_id",
            new org.bson.BsonObjectId(ids.get(100))));
        List<Document> chunk = orders.find(new Document("$and", List.of(new Document("_id", new Document("$gt", ids.get(99))),
            new Document("_id", new Document("$lte", ids.get(199)))))).sort(new Document("_id", 1)).into(new ArrayList<>());
        assertThat(chunk).extracting(d -> d.get("_id")).containsExactlyElementsOf(remaining.subList(100, 199));
        assertThat(chunk.get(0)).isEqualTo(new Document("_id", ids.get(100)).append("n", 100).append("odd", 0));
        // With a condition of its own, skipping, descending, and every bound operator.
        assertThat(orders.find(new Document("$and", List.of(new Document("_id", new Document("$gte", ids.get(10))
            .append("$lt", ids.get(20))), new Document("odd", 1)))).sort(new Document("_id", -1)).skip(1).limit(2)
            .into(new ArrayList<>())).extracting(d -> d.get("_id")).containsExactly(ids.get(17), ids.get(15));
        assertThat(orders.find(new Document("_id", ids.get(42))).sort(new Document("_id", 1)).into(new ArrayList<>()))
            .extracting(d -> d.get("n")).containsExactly(42);
        assertThat(orders.find().sort(new Document("_id", 1)).into(new ArrayList<>())).extracting(d -> d.get("_id"))
            .containsExactlyElementsOf(remaining);
        // The window after the last chunk: after the maximum key, up to it.
        assertThat(orders.find(new Document("$and", List.of(new Document("_id", new Document("$gt", ids.get(499))),
            new Document("_id", new Document("$lte", ids.get(499)))))).sort(new Document("_id", 1)).into(new ArrayList<>())).isEmpty();
        assertThat(orders.find(new Document("$and", List.of(new Document("_id", new Document("$gt", ids.get(300))),
            new Document("_id", new Document("$lte", ids.get(200)))))).sort(new Document("_id", 1)).into(new ArrayList<>())).isEmpty();
    }

    @Test
    void aChangeLogWithALimitRollsOverAndAResumePointItDroppedIsLost() {
        System.setProperty(MongoReplicaSetStandIn.CHANGES_KEPT_PROPERTY, "10");
        start();
        MongoCollection<Document> orders = client.getDatabase("logistics").getCollection("orders");
        BsonDocument first;
        try (var stream = orders.watch().maxAwaitTime(100, TimeUnit.MILLISECONDS).cursor()) {
            orders.insertOne(new Document("_id", 0));
            first = stream.next().getResumeToken();
            for (int i = 1; i < 30; i++) {
                orders.insertOne(new Document("_id", i));
            }
            // An open stream still reads on from where it is: the newest changes are there.
        }
        BsonDocument lost = first;
        assertThatThrownBy(() -> orders.watch().resumeAfter(lost).cursor().tryNext())
            .isInstanceOfSatisfying(MongoCommandException.class, e -> assertThat(e.getErrorCode()).isEqualTo(286));

        BsonDocument recent;
        try (var stream = orders.watch().maxAwaitTime(100, TimeUnit.MILLISECONDS).cursor()) {
            orders.insertOne(new Document("_id", 30));
            recent = stream.next().getResumeToken();
        }
        orders.insertOne(new Document("_id", 31));
        try (var resumed = orders.watch().resumeAfter(recent).maxAwaitTime(100, TimeUnit.MILLISECONDS).cursor()) {
            assertThat(resumed.next().getDocumentKey().getInt32("_id").getValue()).isEqualTo(31);
        }
    }
}
