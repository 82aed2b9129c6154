package io.streamingetl.logistics;

import com.mongodb.MongoException;
import com.mongodb.client.MongoClient;
import com.mongodb.client.MongoClients;
import com.mongodb.client.MongoDatabase;
import io.streamingetl.cdc.SnapshotSource;
import io.streamingetl.runtime.SafeText;
import java.util.ArrayList;
import java.util.Map;
import org.bson.Document;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The orders and shipments collections re-captured on demand: {@code ./pipeline snapshot orders [--where ...]},
 * the condition given to Debezium as a MongoDB query ({@link MongoCondition}). The signal collection Debezium
 * writes its watermarks to is created when missing.
 */
final class LogisticsSnapshots implements SnapshotSource {
    private static final Logger LOG = LoggerFactory.getLogger(LogisticsSnapshots.class);

    private final LogisticsCdcConfig config;

    LogisticsSnapshots(LogisticsCdcConfig config) {
        this.config = config;
    }

    @Override
    public Map<String, String> collections() {
        return Map.of("orders", config.ordersCollection(), "shipments", config.shipmentsCollection());
    }

    @Override
    public String condition(String dataCollection, String where) {
        return MongoCondition.toQuery(where);
    }

    @Override
    public long count(String dataCollection, String where) {
        int dot = dataCollection.indexOf('.');
        try (MongoClient client = MongoClients.create(config.clientSettings())) {
            return client.getDatabase(dataCollection.substring(0, dot)).getCollection(dataCollection.substring(dot + 1))
                    .countDocuments(where == null ? new Document() : Document.parse(MongoCondition.toQuery(where)));
        } catch (MongoException e) {
            throw new IllegalArgumentException("MongoDB could not count: " + e.getMessage(), e);
        }
    }

    @Override
    public void prepare() {
        String signals = config.signalCollection();
        int dot = signals.indexOf('.');
        try (MongoClient client = MongoClients.create(config.clientSettings())) {
            MongoDatabase database = client.getDatabase(signals.substring(0, dot));
            if (!database.listCollectionNames().into(new ArrayList<>()).contains(signals.substring(dot + 1))) {
                database.createCollection(signals.substring(dot + 1));
            }
        } catch (MongoException e) {
            LOG.warn("Cannot make sure the signal collection {} exists ({}): ./pipeline snapshot needs it; create it, and let"
                    + " logistics-cdc's login insert into it, as mongo/init-replica-set.js does", signals, SafeText.of(e.getMessage()));
        }
    }
}
