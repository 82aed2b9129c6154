package io.streamingetl.demo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.streamingetl.contract.PipelineService;
import io.streamingetl.harness.CustomerTableProbe;
import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.harness.TutorialLoader;
import io.streamingetl.localstack.PostgresEndpoint;
import io.streamingetl.localstack.TutorialData;
import io.streamingetl.runtime.Settings;
import java.util.Map;
import org.bson.Document;

/**
 * Small clients for a running pipeline's databases, so the tutorial needs neither psql nor mongosh:
 * {@code ./demo.sh sql "<statement>"}, {@code ./demo.sh mongo <collection> '<json>'}, {@code ./demo.sh live-step}
 * (demonstration.md's three changes) and {@code ./demo.sh seed} (the tutorial's data, as docker compose's loader
 * runs it). They reach the demo by default, or any deployment through {@code DEMO_POSTGRES_HOST},
 * {@code DEMO_POSTGRES_USER}, {@code DEMO_POSTGRES_PASSWORD}, {@code DEMO_MONGO_URI} (credentials in it; each also from
 * a file named by {@code <KEY>_FILE}) and {@code DEMO_ENRICHMENT_URL}: docker compose's are in {@code compose.env}.
 */
final class DemoClient {
    private final PostgresEndpoint postgres;
    private final String database;
    private final String user;
    private final String password;
    private final String mongoUri;
    private final String enrichmentUrl;

    DemoClient(DemoSettings demo, Map<String, String> environment) {
        Settings settings = Settings.from(environment);
        this.user = settings.string("DEMO_POSTGRES_USER", LocalPipeline.DB_USER);
        this.password = settings.secret("DEMO_POSTGRES_PASSWORD", LocalPipeline.DB_PASSWORD);
        this.database = LocalPipeline.DATABASE;
        this.postgres = new PostgresEndpoint(settings.string("DEMO_POSTGRES_HOST", "127.0.0.1"), demo.postgresPort(), user, password);
        this.mongoUri = settings.secret("DEMO_MONGO_URI", "mongodb://127.0.0.1:" + demo.mongoPort() + "/?replicaSet=my-replica-set");
        this.enrichmentUrl = settings.string("DEMO_ENRICHMENT_URL",
                "http://127.0.0.1:" + (demo.firstHttpPort() + PipelineService.ENRICHMENT.ordinal()));
    }

    void run(DemoCommand command) throws Exception {
        if (command instanceof DemoCommand.Sql sql) {
            sql(sql.statement());
            return;
        }
        try (MongoClient mongo = MongoClients.create(mongoUri)) {
            if (command instanceof DemoCommand.Mongo insert) {
                mongo.getDatabase("logistics").getCollection(insert.collection()).insertOne(Document.parse(insert.json()));
                System.out.println("ok: inserted into logistics." + insert.collection());
            } else if (command instanceof DemoCommand.LiveStep) {
                TutorialData.LiveStep step = tutorialLoader(mongo).liveStep();
                System.out.println("expected in a second or two: document " + step.expectedDocument());
            } else if (command instanceof DemoCommand.Seed) {
                tutorialLoader(mongo).seed();
                System.out.println("ok: the tutorial's data is loaded; expected: " + TutorialData.load().expectedDocuments().size()
                        + " documents in shipped_orders");
            } else {
                throw new IllegalArgumentException("not a client command: " + command);
            }
        }
    }

    private TutorialLoader tutorialLoader(MongoClient mongo) {
        return new TutorialLoader(postgres, database, user, password, mongo, new CustomerTableProbe(enrichmentUrl),
                line -> System.out.println("ok: " + line));
    }

    private void sql(String statement) {
        postgres.execute(database, user, password, statement);
        System.out.println("ok: " + statement);
    }
}
