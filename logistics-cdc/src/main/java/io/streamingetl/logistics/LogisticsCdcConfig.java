package io.streamingetl.logistics;

import com.mongodb.ConnectionString;
import com.mongodb.MongoClientSettings;
import com.mongodb.MongoCredential;
import io.streamingetl.avro.Order;
import io.streamingetl.avro.Shipment;
import io.streamingetl.cdc.ChangeCapture;
import io.streamingetl.cdc.OnHistoryLost;
import io.streamingetl.contract.Topic;
import io.streamingetl.contract.Topics;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.SettingsException;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * Where the logistics documents live and where their changes go. {@code MONGO_URI} names the replica set;
 * credentials go in {@code MONGO_USER}/{@code MONGO_PASSWORD} (kept out of {@link #toString()}). Deletes
 * are dropped as in the tutorial unless {@code DELETES=tombstone}. A document whose {@code ts} lies more than
 * {@code MAX_EVENT_TIME_SKEW} (1h) ahead of the capture time is malformed.
 */
public record LogisticsCdcConfig(String mongoUri, String user, String password, String authSource,
                                 String topicPrefix, String ordersCollection, String shipmentsCollection,
                                 Topic<String, Order> orders, Topic<String, Shipment> shipments, boolean deletesAsTombstones,
                                 String snapshotMode, Duration maxEventTimeSkew, Duration heartbeatInterval,
                                 String signalCollection) {

    public static final String MAX_EVENT_TIME_SKEW = "MAX_EVENT_TIME_SKEW";

    public static LogisticsCdcConfig from(Settings settings) {
        String uri = settings.string("MONGO_URI", "mongodb://127.0.0.1:27017/?replicaSet=my-replica-set");
        if (!uri.startsWith("mongodb://") && !uri.startsWith("mongodb+srv://")) {
            throw new SettingsException("MONGO_URI", "must start with mongodb:// or mongodb+srv://");
        }
        String deletes = settings.string("DELETES", "drop");
        if (!deletes.equals("drop") && !deletes.equals("tombstone")) {
            throw new SettingsException("DELETES", "is '" + deletes + "', must be drop or tombstone");
        }
        String snapshotMode = settings.string("SNAPSHOT_MODE", "initial");
        if (!snapshotMode.matches("initial|no_data|when_needed|always|initial_only")) {
            throw new SettingsException("SNAPSHOT_MODE", "is '" + snapshotMode
                    + "', must be initial, no_data, when_needed, always or initial_only");
        }
        String orders = collection(settings, "ORDERS_COLLECTION", "logistics.orders");
        String database = orders.substring(0, orders.indexOf('.'));
        String shipments = collection(settings, "SHIPMENTS_COLLECTION", "logistics.shipments");
        String signals = collection(settings, "SIGNAL_COLLECTION", "logistics.debezium_signal");
        // One database watched: the login needs read on it alone, not on every database of the deployment.
        for (Map.Entry<String, String> other : Map.of("SHIPMENTS_COLLECTION", shipments, "SIGNAL_COLLECTION", signals).entrySet()) {
            if (!other.getValue().startsWith(database + ".")) {
                throw new SettingsException(other.getKey(), "is '" + other.getValue() + "', must be in the database of "
                        + "ORDERS_COLLECTION (" + database + "): capture watches that one database");
            }
        }
        // ON_HISTORY_LOST=resnapshot is Debezium's when_needed: a new snapshot when the stored position is gone.
        snapshotMode = OnHistoryLost.from(settings).snapshotMode(snapshotMode);
        return new LogisticsCdcConfig(uri,
                settings.string("MONGO_USER", ""),
                settings.secret("MONGO_PASSWORD", ""),
                settings.string("MONGO_AUTH_SOURCE", "admin"),
                settings.string("TOPIC_PREFIX", "my-replica-set"),
                orders, shipments,
                settings.topic(Topics.ORDERS), settings.topic(Topics.SHIPMENTS), deletes.equals("tombstone"), snapshotMode,
                settings.duration(MAX_EVENT_TIME_SKEW, Duration.ofHours(1)),
                settings.duration("HEARTBEAT_INTERVAL", Duration.ofSeconds(10)),
                signals);
    }

    private static String collection(Settings settings, String key, String defaultValue) {
        String value = settings.string(key, defaultValue);
        if (!value.matches("[^.\\s]+\\.[^\\s]+")) {
            throw new SettingsException(key, "is '" + value + "', must be database.collection");
        }
        return value;
    }

    /** The Debezium topic of a collection's changes, before they are mapped to the contract's topics. */
    String changesTopicOf(String collection) {
        return topicPrefix + "." + collection;
    }

    /** Debezium's MongoDB connector: snapshot, then change streams, each change with the document after it. */
    public Properties connectorProperties() {
        Properties p = new Properties();
        p.put("connector.class", "io.debezium.connector.mongodb.MongoDbConnector");
        p.put("mongodb.connection.string", mongoUri);
        if (!user.isEmpty()) {
            p.put("mongodb.user", user);
            p.put("mongodb.password", password);
            p.put("mongodb.authsource", authSource);
        }
        p.put("topic.prefix", topicPrefix);
        // A change stream on the logistics database alone (Debezium's default watches the whole deployment): the login
        // needs read on it and insert on the signal collection (mongo/init-replica-set.js), Debezium's documented minimum.
        p.put("capture.scope", "database");
        p.put("capture.target", ordersCollection.substring(0, ordersCollection.indexOf('.')));
        // The signal collection is captured too (an incremental snapshot's watermarks); the router drops it.
        p.put("collection.include.list", ordersCollection + "," + shipmentsCollection + "," + signalCollection);
        p.put("signal.data.collection", signalCollection);
        p.put("capture.mode", "change_streams_update_full");
        p.put("snapshot.mode", snapshotMode);
        // A quiet collection still moves the stored resume point on, so it never falls out of the oplog.
        p.put("heartbeat.interval.ms", Long.toString(heartbeatInterval.toMillis()));
        p.put("transforms", "unwrap");
        p.put("transforms.unwrap.type", "io.debezium.connector.mongodb.transforms.ExtractNewDocumentState");
        p.put("transforms.unwrap.add.headers", ChangeCapture.SOURCE_TIME_FIELD);
        return p;
    }

    /** A client of its own (the snapshot's count, the signal collection), with the capture's login and short timeouts. */
    MongoClientSettings clientSettings() {
        MongoClientSettings.Builder builder = MongoClientSettings.builder().applyConnectionString(new ConnectionString(mongoUri))
                .applyToClusterSettings(cluster -> cluster.serverSelectionTimeout(10, TimeUnit.SECONDS))
                .applyToSocketSettings(socket -> socket.connectTimeout(5, TimeUnit.SECONDS).readTimeout(30, TimeUnit.SECONDS));
        if (!user.isEmpty()) {
            builder.credential(MongoCredential.createCredential(user, authSource, password.toCharArray()));
        }
        return builder.build();
    }

    @Override
    public String toString() {
        return "LogisticsCdcConfig[mongo=" + redact(mongoUri) + (user.isEmpty() ? "" : " as " + user)
                + ", orders=" + ordersCollection + " -> " + orders + ", shipments=" + shipmentsCollection + " -> "
                + shipments + ", deletes=" + (deletesAsTombstones ? "tombstone" : "drop") + ", snapshot=" + snapshotMode + "]";
    }

    /** A password inside the URI never reaches a log line. */
    static String redact(String uri) {
        return uri.replaceAll("//([^:/@]+):[^@]*@", "//$1:***@");
    }
}
