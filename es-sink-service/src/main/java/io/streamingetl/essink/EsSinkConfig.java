package io.streamingetl.essink;

import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.ShippedOrderDocument;
import io.streamingetl.contract.Topic;
import io.streamingetl.contract.Topics;
import io.streamingetl.runtime.Backoff;
import io.streamingetl.runtime.KafkaConnection;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.SettingsException;
import io.streamingetl.runtime.TopicAdmin;
import io.streamingetl.runtime.Warmup;
import io.streamingetl.search.SearchEngineConfig;
import java.time.Duration;

/**
 * Where shipped orders come from and how they are written: the search engine ({@link SearchEngineConfig}), the
 * index or alias ({@code ES_INDEX}), how writes are batched and how many bulk requests are under way at once
 * ({@code BULK_*}), how they are retried ({@code RETRY_*}), and
 * how many rejections in a row the sink takes for a broken mapping. Secrets stay out of {@link #toString()}.
 */
public record EsSinkConfig(KafkaConnection kafka, Topic<String, ShippedOrder> topic, String groupId,
                           SearchEngineConfig engine, String index,
                           int bulkMaxActions, long bulkMaxBytes, Duration bulkFlushInterval, int bulkConcurrentRequests,
                           Backoff retryBackoff, int maxRejectionsInARow, TopicAdmin.Layout topicLayout, int warmUpRecords) {

    /** How many documents the engine may reject in a row, none written, before the sink holds instead. */
    public static final String MAX_REJECTIONS_IN_A_ROW = "MAX_REJECTIONS_IN_A_ROW";

    public static EsSinkConfig from(Settings settings) {
        String index = settings.string("ES_INDEX", ShippedOrderDocument.INDEX);
        if (!index.matches("[a-z0-9][a-z0-9_.-]*") || index.length() > 255) {
            throw new SettingsException("ES_INDEX", "is '" + index + "', not a valid index name (lower case, no spaces)");
        }
        Duration initial = settings.duration("RETRY_INITIAL_BACKOFF", Duration.ofMillis(200));
        Duration max = settings.duration("RETRY_MAX_BACKOFF", Duration.ofSeconds(30));
        if (max.compareTo(initial) < 0) {
            throw new SettingsException("RETRY_MAX_BACKOFF", "is " + max + ", must not be less than RETRY_INITIAL_BACKOFF " + initial);
        }
        return new EsSinkConfig(
                KafkaConnection.from(settings),
                settings.topic(Topics.SHIPPED_ORDERS),
                settings.string("GROUP_ID", "es-sink-service"),
                SearchEngineConfig.from(settings), index,
                settings.integer("BULK_MAX_ACTIONS", 500, 1, 100_000),
                settings.longValue("BULK_MAX_BYTES", 5L * 1024 * 1024, 1024, 1024L * 1024 * 1024),
                settings.duration("BULK_FLUSH_INTERVAL", Duration.ZERO),
                settings.integer("BULK_CONCURRENT_REQUESTS", 1, 1, 16),
                new Backoff(initial, max),
                settings.integer(MAX_REJECTIONS_IN_A_ROW, 100, 1, Integer.MAX_VALUE),
                TopicAdmin.Layout.from(settings),
                Warmup.records(settings));
    }

    @Override
    public String toString() {
        return "EsSinkConfig[topic=" + topic + ", group=" + groupId + ", engine=" + engine + ", index=" + index
                + ", bulk=" + bulkMaxActions + " actions/" + bulkMaxBytes + " bytes/" + bulkFlushInterval + "/"
                + bulkConcurrentRequests + " in flight"
                + ", backoff=" + retryBackoff.initial() + ".." + retryBackoff.max()
                + ", maxRejectionsInARow=" + maxRejectionsInARow + "]";
    }
}
