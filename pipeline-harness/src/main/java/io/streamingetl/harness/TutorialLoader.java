package io.streamingetl.harness;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoDatabase;
import io.streamingetl.localstack.PostgresEndpoint;
import io.streamingetl.localstack.TutorialData;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import org.bson.Document;

/**
 * The tutorial's data written to the sources as its reader types it: customers into Postgres, then (once the
 * customer table knows them) orders and shipments into MongoDB. The demo, its {@code live-step} client and the
 * tests load through this one class.
 */
public final class TutorialLoader {
    public static final String DATABASE = "customers";
    public static final String DB_USER = "postgres-user";
    public static final String DB_PASSWORD = "postgres-pw";

    private final TutorialData tutorial = TutorialData.load();
    private final PostgresEndpoint postgres;
    private final String database;
    private final String user;
    private final String password;
    private final MongoDatabase logistics;
    private final CustomerTableProbe customerTable;
    private final Consumer<String> say;

    /** Into the local pipeline's database {@value #DATABASE} as {@value #DB_USER}. */
    public TutorialLoader(PostgresEndpoint postgres, MongoClient mongo, CustomerTableProbe customerTable, Consumer<String> say) {
        this(postgres, DATABASE, DB_USER, DB_PASSWORD, mongo, customerTable, say);
    }

    public TutorialLoader(PostgresEndpoint postgres, String database, String user, String password, MongoClient mongo,
                          CustomerTableProbe customerTable, Consumer<String> say) {
        this(postgres, database, user, password, mongo.getDatabase(PipelineNames.LOGISTICS_DATABASE), customerTable, say);
    }

    /** Into {@code database} and the MongoDB database {@code logistics}, as a pipeline of other names has them. */
    public TutorialLoader(PostgresEndpoint postgres, String database, String user, String password, MongoDatabase logistics,
                          CustomerTableProbe customerTable, Consumer<String> say) {
        this.postgres = postgres;
        this.database = database;
        this.user = user;
        this.password = password;
        this.logistics = logistics;
        this.customerTable = customerTable;
        this.say = say;
    }

    /** The tutorial's customers, then its orders and shipments, as the seed inserted them. */
    public void seed() {
        postgres.execute(database, user, password, tutorial.customersStatements().toArray(String[]::new));
        say.accept("seeded " + tutorial.customers().size() + " customers into Postgres");
        awaitCustomers(tutorial.customers().stream().map(c -> c.getId()).toList());
        tutorial.orderDocuments().forEach(d -> insert("orders", d));
        tutorial.shipmentDocuments().forEach(d -> insert("shipments", d));
        say.accept("seeded " + tutorial.orderDocuments().size() + " orders and " + tutorial.shipmentDocuments().size()
                + " shipments into MongoDB");
    }

    /** The ids of the documents the seeded tutorial makes in the index. */
    public Set<String> expectedDocumentIds() {
        return tutorial.expectedDocuments().keySet();
    }

    /** demonstration.md's live step: a new customer, then an order of theirs, then its shipment. */
    public TutorialData.LiveStep liveStep() {
        TutorialData.LiveStep step = tutorial.liveStep();
        postgres.execute(database, user, password, step.customerInsertSql());
        awaitCustomers(List.of(step.customerId()));
        insert("orders", step.order());
        insert("shipments", step.shipment());
        say.accept("live step: inserted customer " + step.customerId() + ", order " + step.order().get("order_id")
                + " and shipment " + step.shipment().get("shipment_id") + " of demonstration.md");
        return step;
    }

    /**
     * An order is joined to its customer as known when it is processed (as in ksqlDB): so, like a person typing
     * the tutorial's commands, the loader lets the customers reach the customer table before the orders.
     */
    public void awaitCustomers(Collection<String> ids) {
        if (!customerTable.awaitKnown(ids, Duration.ofMinutes(2))) {
            throw new IllegalStateException("enrichment-service's customer table did not know the " + ids.size()
                    + " customers within 2 min: is the pipeline running, and did customers-cdc capture the inserts?"
                    + " See the logs of customers-cdc and enrichment-service");
        }
    }

    private void insert(String collection, java.util.Map<String, Object> document) {
        logistics.getCollection(collection).insertOne(new Document(document));
    }
}
