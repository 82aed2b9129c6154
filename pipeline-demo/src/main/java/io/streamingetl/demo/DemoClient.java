package io.streamingetl.demo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.streamingetl.contract.PipelineService;
import io.streamingetl.harness.CustomerTableProbe;
import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.harness.OperatorFiles;
import io.streamingetl.harness.TutorialLoader;
import io.streamingetl.localstack.PostgresEndpoint;
import io.streamingetl.localstack.TutorialData;
import org.bson.Document;

/**
 * Small clients for a running demo, so its live step needs neither psql nor mongosh:
 * {@code ./demo.sh sql "<statement>"}, {@code ./demo.sh mongo <collection> '<json>'} and
 * {@code ./demo.sh live-step} (demonstration.md's three changes).
 */
final class DemoClient {
    private final PostgresEndpoint postgres;
    private final String mongoUri;
    private final DemoSettings settings;

    DemoClient(DemoSettings settings) {
        this.settings = settings;
        this.postgres = new PostgresEndpoint("127.0.0.1", settings.postgresPort(), LocalPipeline.DB_USER, LocalPipeline.DB_PASSWORD);
        this.mongoUri = "mongodb://127.0.0.1:" + settings.mongoPort() + "/?replicaSet=my-replica-set";
    }

    void run(DemoCommand command) throws Exception {
        if (command instanceof DemoCommand.Sql sql) {
            sql(sql.statement());
        } else if (command instanceof DemoCommand.Mongo mongo) {
            insert(mongo.collection(), Document.parse(mongo.json()));
            System.out.println("ok: inserted into logistics." + mongo.collection());
        } else if (command instanceof DemoCommand.LiveStep) {
            try (MongoClient mongo = MongoClients.create(mongoUri)) {
                TutorialData.LiveStep step = tutorialLoader(mongo).liveStep();
                System.out.println("expected in a second or two: document " + step.expectedDocument());
            }
        } else {
            throw new IllegalArgumentException("not a client command: " + command);
        }
    }

    private TutorialLoader tutorialLoader(MongoClient mongo) {
        String enrichment = "http://127.0.0.1:" + (settings.firstHttpPort() + PipelineService.ENRICHMENT.ordinal());
        String token = OperatorFiles.readOpsToken(settings.workDir());
        return new TutorialLoader(postgres, mongo, new CustomerTableProbe(enrichment, token), line -> System.out.println("ok: " + line));
    }

    private void sql(String statement) {
        postgres.execute(LocalPipeline.DATABASE, LocalPipeline.DB_USER, LocalPipeline.DB_PASSWORD, statement);
        System.out.println("ok: " + statement);
    }

    private void insert(String collection, Document document) {
        try (MongoClient mongo = MongoClients.create(mongoUri)) {
            mongo.getDatabase("logistics").getCollection(collection).insertOne(document);
        }
    }
}
