package io.streamingetl.mongostandin;

import static org.assertj.core.api.Assertions.assertThat;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoCollection;
import com.mongodb.client.model.Projections;
import com.mongodb.client.model.changestream.FullDocument;
import com.mongodb.event.CommandListener;
import com.mongodb.event.CommandStartedEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.bson.BsonDocument;
import org.bson.BsonNull;
import org.bson.BsonString;
import org.bson.Document;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The driver calls of Debezium 3.6.1's MongoDB incremental snapshot (MongoDbIncrementalSnapshotChangeEventSource,
 * MongoDbInsertWindowCloser, MongoDbDeleteWindowCloser), made against the stand-in exactly as Debezium makes them, and
 * the watermark writes seen on a change stream with Debezium's pipeline for a signal collection outside the include list.
 */
class IncrementalSnapshotQueriesTest {

    private MongoReplicaSetStandIn standIn;
    private MongoClient client;
    private final List<BsonDocument> commands = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() {
        standIn = MongoReplicaSetStandIn.start("127.0.0.1", 0, "my-replica-set");
        CommandListener recorder = new CommandListener() {
            @Override
            public void commandStarted(CommandStartedEvent event) {
                commands.add(event.getCommand().clone());
            }
        };
        client = MongoClients.create(MongoClientSettings.builder()
            .applyConnectionString(new ConnectionString(standIn.connectionString())).addCommandListener(recorder).build());
        List<Document> orders = new ArrayList<>();
        for (int i = 1; i <= 150; i++) {
            orders.add(new Document("_id", String.format("o-%03d", i)).append("order_id", String.valueOf(i % 50)).append("n", i));
        }
        client.getDatabase("logistics").getCollection("orders").insertMany(orders);
    }

    @AfterEach
    void stop() {
        client.close();
        standIn.close();
    }

    @Test
    void maximumKeyChunkKeysAndChunkWithAndWithoutAdditionalCondition() {
        MongoCollection<Document> orders = client.getDatabase("logistics").getCollection("orders");
        MongoCollection<BsonDocument> raw = orders.withDocumentClass(BsonDocument.class);
        Document condition = Document.parse("{\"order_id\": \"31\"}");
        commands.clear();

        // readMaximumKey()
        assertThat(orders.find().sort(new Document("_id", -1)).limit(1).first().get("_id")).isEqualTo("o-150");
        assertThat(orders.find(condition).sort(new Document("_id", -1)).limit(1).first().get("_id")).isEqualTo("o-131");
        // what reaches the server (session and gossip fields aside)
        assertThat(withoutSessionFields(commands.get(0)))
            .isEqualTo(BsonDocument.parse("{find: 'orders', filter: {}, sort: {_id: -1}, limit: 1, singleBatch: true}"));

        // createDataEventsForDataCollection(): _ids of the next chunk(s), chunk size 10 x 1 thread
        Document first = new Document("_id", new Document("$lte", "o-150"));
        assertThat(raw.find(first).sort(new Document("_id", 1)).projection(Projections.include("_id")).limit(10)
            .into(new ArrayList<>())).hasSize(10).first().isEqualTo(BsonDocument.parse("{_id: 'o-001'}"));
        Document next = new Document("$and", List.of(new Document("_id", new Document("$gt", "o-010")),
            new Document("_id", new Document("$lte", "o-150")), condition));
        assertThat(raw.find(next).sort(new Document("_id", 1)).projection(Projections.include("_id")).limit(10)
            .into(new ArrayList<>())).extracting(key -> key.getString("_id").getValue())
            .containsExactly("o-031", "o-081", "o-131");

        // queryChunk(): whole documents of one chunk, no limit
        Document chunk = new Document("$and", List.of(new Document("_id", new Document("$gt", "o-010")),
            new Document("_id", new Document("$lte", "o-140"))));
        List<BsonDocument> documents = raw.find(chunk).sort(new Document("_id", 1)).into(new ArrayList<>());
        assertThat(documents).hasSize(130);
        assertThat(documents.get(0)).isEqualTo(BsonDocument.parse("{_id: 'o-011', order_id: '11', n: 11}"));
        assertThat(commands).extracting(IncrementalSnapshotQueriesTest::withoutSessionFields).contains(
            BsonDocument.parse("{find: 'orders', filter: {$and: [{_id: {$gt: 'o-010'}}, {_id: {$lte: 'o-150'}}, {order_id: '31'}]},"
                + " sort: {_id: 1}, projection: {_id: 1}, limit: 10}"));
    }

    private static BsonDocument withoutSessionFields(BsonDocument command) {
        BsonDocument copy = new BsonDocument();
        copy.putAll(command);
        List.of("lsid", "$clusterTime", "$db", "$readPreference").forEach(copy::remove);
        return copy;
    }

    @Test
    void watermarksOfTheSignalCollectionReachDebeziumsChangeStream() {
        // Debezium's regex-mode pipeline: the signal collection is OR-ed in next to collection.include.list
        List<Document> pipeline = List.of(
            Document.parse("{$replaceRoot: {newRoot: {namespace: {$concat: ['$ns.db', '.', '$ns.coll']}, event: '$$ROOT'}}}"),
            Document.parse("{$match: {$and: [{$or: [{namespace: {$regex: 'logistics.orders|logistics.shipments', $options: 'i'}},"
                + " {namespace: 'logistics.debezium_signal'}]}, {'event.operationType': {$in: ['insert', 'update', 'replace', 'delete']}}]}}"),
            Document.parse("{$replaceRoot: {newRoot: '$event'}}"));
        MongoCollection<Document> signals = client.getDatabase("logistics").getCollection("debezium_signal");
        try (var stream = client.watch(pipeline, BsonDocument.class).fullDocument(FullDocument.UPDATE_LOOKUP)
                .maxAwaitTime(100, TimeUnit.MILLISECONDS).cursor()) {
            client.getDatabase("logistics").getCollection("other").insertOne(new Document("_id", 1));
            // emitWindowOpen(), MongoDbInsertWindowCloser, MongoDbDeleteWindowCloser
            signals.insertOne(new Document("_id", "c1-open").append("type", "snapshot-window-open").append("payload", ""));
            signals.insertOne(new Document("_id", "c1-close").append("type", "snapshot-window-close").append("payload", ""));
            assertThat(signals.deleteOne(new Document("_id", "c1-open")).getDeletedCount()).isEqualTo(1);

            List<BsonDocument> events = new ArrayList<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (events.size() < 3 && System.nanoTime() < deadline) {
                var event = stream.tryNext();
                if (event != null) {
                    events.add(new BsonDocument("op", new BsonString(event.getOperationTypeString()))
                        .append("ns", new BsonString(event.getNamespace().getFullName()))
                        .append("doc", event.getFullDocument() == null ? BsonNull.VALUE : event.getFullDocument()));
                }
            }
            // the full document keeps its field order: Debezium reads the signal as (id, type, payload) by position
            assertThat(events).containsExactly(
                BsonDocument.parse("{op: 'insert', ns: 'logistics.debezium_signal', doc: {_id: 'c1-open', type: 'snapshot-window-open', payload: ''}}"),
                BsonDocument.parse("{op: 'insert', ns: 'logistics.debezium_signal', doc: {_id: 'c1-close', type: 'snapshot-window-close', payload: ''}}"),
                BsonDocument.parse("{op: 'delete', ns: 'logistics.debezium_signal', doc: null}"));
        }
    }
}
