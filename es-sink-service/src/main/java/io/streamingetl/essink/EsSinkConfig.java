package io.streamingetl.essink;

import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.Topic;
import io.streamingetl.contract.Topics;
import io.streamingetl.runtime.KafkaConnection;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.SettingsException;
import io.streamingetl.runtime.TopicAdmin;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * Where shipped orders come from and how they are written: the cluster (URL, credentials, CA certificate
 * for TLS), the index, and how writes are batched and retried. Secrets stay out of {@link #toString()}.
 */
public record EsSinkConfig(KafkaConnection kafka, Topic<String, ShippedOrder> topic, String groupId, URI url, String index,
                           String username, String password, String apiKey, Path caCertificate,
                           int bulkMaxActions, long bulkMaxBytes, Duration bulkFlushInterval,
                           Duration retryInitialBackoff, Duration retryMaxBackoff, Duration requestTimeout,
                           int maxRejectionsInARow, TopicAdmin.Layout topicLayout) {

    /** How many documents Elasticsearch may reject in a row, none written, before the sink holds instead. */
    public static final String MAX_REJECTIONS_IN_A_ROW = "MAX_REJECTIONS_IN_A_ROW";

    public static EsSinkConfig from(Settings settings) {
        URI url = settings.uri("ES_URL", "http://127.0.0.1:9200");
        if (!url.getScheme().equals("http") && !url.getScheme().equals("https")) {
            throw new SettingsException("ES_URL", "is '" + url + "', must start with http:// or https://");
        }
        String index = settings.string("ES_INDEX", "shipped_orders");
        if (!index.matches("[a-z0-9][a-z0-9_.-]*") || index.length() > 255) {
            throw new SettingsException("ES_INDEX", "is '" + index + "', not a valid index name (lower case, no spaces)");
        }
        String ca = settings.string("ES_CA_CERT", "");
        Path caPath = ca.isEmpty() ? null : Path.of(ca);
        if (caPath != null && !Files.isReadable(caPath)) {
            throw new SettingsException("ES_CA_CERT", "is '" + ca + "', not a readable PEM file");
        }
        Duration initial = settings.duration("RETRY_INITIAL_BACKOFF", Duration.ofMillis(200));
        Duration max = settings.duration("RETRY_MAX_BACKOFF", Duration.ofSeconds(30));
        if (max.compareTo(initial) < 0) {
            throw new SettingsException("RETRY_MAX_BACKOFF", "is " + max + ", must not be less than RETRY_INITIAL_BACKOFF " + initial);
        }
        String username = settings.string("ES_USERNAME", "");
        String password = settings.secret("ES_PASSWORD", "");
        String apiKey = settings.secret("ES_API_KEY", "");
        if (url.getScheme().equals("http") && (!username.isEmpty() || !apiKey.isEmpty())
                && !settings.bool("ES_ALLOW_PLAINTEXT_CREDENTIALS", false)) {
            throw new SettingsException("ES_URL", "is '" + url + "' with credentials, which would cross the network in "
                    + "clear text: use https:// (ES_CA_CERT for a private CA), or set ES_ALLOW_PLAINTEXT_CREDENTIALS=true");
        }
        return new EsSinkConfig(
                KafkaConnection.from(settings),
                settings.topic(Topics.SHIPPED_ORDERS),
                settings.string("GROUP_ID", "es-sink-service"),
                url, index,
                username, password, apiKey,
                caPath,
                settings.integer("BULK_MAX_ACTIONS", 500, 1, 100_000),
                settings.longValue("BULK_MAX_BYTES", 5L * 1024 * 1024, 1024, 1024L * 1024 * 1024),
                settings.duration("BULK_FLUSH_INTERVAL", Duration.ofMillis(100)),
                initial, max,
                settings.duration("ES_REQUEST_TIMEOUT", Duration.ofSeconds(10)),
                settings.integer(MAX_REJECTIONS_IN_A_ROW, 100, 1, Integer.MAX_VALUE),
                TopicAdmin.Layout.from(settings));
    }

    @Override
    public String toString() {
        return "EsSinkConfig[topic=" + topic + ", group=" + groupId + ", url=" + url + ", index=" + index
                + ", auth=" + (!apiKey.isEmpty() ? "api-key" : !username.isEmpty() ? "basic(" + username + ")" : "none")
                + ", bulk=" + bulkMaxActions + " actions/" + bulkMaxBytes + " bytes/" + bulkFlushInterval
                + ", backoff=" + retryInitialBackoff + ".." + retryMaxBackoff + ", timeout=" + requestTimeout
                + ", maxRejectionsInARow=" + maxRejectionsInARow + "]";
    }
}
