package io.streamingetl.demo;

import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import io.streamingetl.localstack.PostgresEndpoint;
import io.streamingetl.localstack.TutorialData;
import java.util.List;
import org.bson.Document;

/**
 * Small clients for a running demo, so its live step needs neither psql nor mongosh:
 * {@code ./demo.sh sql "<statement>"}, {@code ./demo.sh mongo <collection> '<json>'} and
 * {@code ./demo.sh live-step} (demonstration.md's three changes).
 */
final class DemoClient {
    private DemoClient() {
    }

    static int run(List<String> arguments) throws InterruptedException {
        String postgresPort = System.getenv().getOrDefault("DEMO_POSTGRES_PORT", "5432");
        String mongoUri = "mongodb://127.0.0.1:" + System.getenv().getOrDefault("DEMO_MONGO_PORT", "27017")
                + "/?replicaSet=my-replica-set";
        PostgresEndpoint postgres = new PostgresEndpoint("127.0.0.1", Integer.parseInt(postgresPort),
                PipelineDemo.DB_USER, PipelineDemo.DB_PASSWORD);
        switch (arguments.get(0)) {
            case "sql" -> {
                require(arguments, 2, "./demo.sh sql \"INSERT INTO customers (id, name, age) VALUES ('9', 'victor', 23)\"");
                postgres.execute(PipelineDemo.DATABASE, PipelineDemo.DB_USER, PipelineDemo.DB_PASSWORD, arguments.get(1));
                System.out.println("ok: " + arguments.get(1));
            }
            case "mongo" -> {
                require(arguments, 3, "./demo.sh mongo orders '{\"order_id\": \"31\", ...}'");
                try (MongoClient mongo = MongoClients.create(mongoUri)) {
                    mongo.getDatabase("logistics").getCollection(arguments.get(1)).insertOne(Document.parse(arguments.get(2)));
                }
                System.out.println("ok: inserted into logistics." + arguments.get(1));
            }
            case "live-step" -> {
                TutorialData.LiveStep step = TutorialData.load().liveStep();
                postgres.execute(PipelineDemo.DATABASE, PipelineDemo.DB_USER, PipelineDemo.DB_PASSWORD, step.customerInsertSql());
                System.out.println("ok: " + step.customerInsertSql());
                Thread.sleep(2000);
                try (MongoClient mongo = MongoClients.create(mongoUri)) {
                    mongo.getDatabase("logistics").getCollection("orders").insertOne(new Document(step.order()));
                    System.out.println("ok: inserted order " + step.order().get("order_id"));
                    mongo.getDatabase("logistics").getCollection("shipments").insertOne(new Document(step.shipment()));
                    System.out.println("ok: inserted shipment " + step.shipment().get("shipment_id"));
                }
                System.out.println("expected in a second or two: document " + step.expectedDocument());
            }
            default -> {
                System.err.println("Unknown command " + arguments.get(0) + ". Use: ./demo.sh [--no-seed] | sql \"<statement>\""
                        + " | mongo <collection> '<json>' | live-step");
                return 2;
            }
        }
        return 0;
    }

    private static void require(List<String> arguments, int count, String example) {
        if (arguments.size() < count) {
            throw new IllegalArgumentException("Missing argument; for example: " + example);
        }
    }
}
