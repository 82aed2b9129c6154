package io.streamingetl.search;

import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.SettingsException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the search engine is and how to reach it, read like every setting ({@code ES_*}, each secret also from
 * {@code <KEY>_FILE}): {@code ES_URL}; at most one way to authenticate, {@code ES_USERNAME}/{@code ES_PASSWORD}
 * (basic), {@code ES_API_KEY} (Elasticsearch's, as it hands it out: base64 of id:key), {@code ES_BEARER_TOKEN},
 * or {@code ES_AWS_REGION} for AWS SigV4 (Amazon OpenSearch Service; {@code ES_AWS_SERVICE} es, or aoss for
 * Serverless; credentials from the AWS SDK's default chain); TLS trusting {@code ES_CA_CERT} (a PEM file) as well
 * as the JVM's own CAs, host names verified unless {@code ES_VERIFY_HOSTNAME=false}; {@code ES_REQUEST_TIMEOUT}.
 * Credentials over plain http are refused unless {@code ES_ALLOW_PLAINTEXT_CREDENTIALS=true}; a URL carrying them
 * is refused (they would reach logs). Secrets stay out of {@link #toString()}.
 */
public record SearchEngineConfig(URI url, Auth auth, Path caCertificate, boolean verifyHostname, Duration requestTimeout) {

    public static SearchEngineConfig from(Settings settings) {
        URI url = settings.uri("ES_URL", "http://127.0.0.1:9200");
        if (!url.getScheme().equals("http") && !url.getScheme().equals("https")) {
            throw new SettingsException("ES_URL", "is '" + url.getScheme() + "://...', must start with http:// or https://");
        }
        if (url.getUserInfo() != null) {
            throw new SettingsException("ES_URL", "carries credentials: set ES_USERNAME and ES_PASSWORD (or ES_API_KEY) "
                    + "instead, so they stay out of logs");
        }
        Auth auth = auth(settings);
        if (url.getScheme().equals("http") && auth.sendsSecret() && !settings.bool("ES_ALLOW_PLAINTEXT_CREDENTIALS", false)) {
            throw new SettingsException("ES_URL", "is '" + url + "' with credentials, which would cross the network in "
                    + "clear text: use https:// (ES_CA_CERT for a private CA), or set ES_ALLOW_PLAINTEXT_CREDENTIALS=true");
        }
        String ca = settings.string("ES_CA_CERT", "");
        Path caPath = ca.isEmpty() ? null : Path.of(ca);
        if (caPath != null && !Files.isReadable(caPath)) {
            throw new SettingsException("ES_CA_CERT", "is '" + ca + "', not a readable PEM file");
        }
        return new SearchEngineConfig(url, auth, caPath, settings.bool("ES_VERIFY_HOSTNAME", true),
                settings.duration("ES_REQUEST_TIMEOUT", Duration.ofSeconds(10)));
    }

    /** The one way to authenticate the settings name; none when none is set, an error naming them when several are. */
    private static Auth auth(Settings settings) {
        Map<String, Auth> given = new LinkedHashMap<>();
        String username = settings.string("ES_USERNAME", "");
        if (!username.isEmpty()) {
            given.put("ES_USERNAME", new Auth.Basic(username, settings.requiredSecret("ES_PASSWORD")));
        }
        String apiKey = settings.secret("ES_API_KEY", "");
        if (!apiKey.isEmpty()) {
            given.put("ES_API_KEY", new Auth.ApiKey(apiKey));
        }
        String token = settings.secret("ES_BEARER_TOKEN", "");
        if (!token.isEmpty()) {
            given.put("ES_BEARER_TOKEN", new Auth.Bearer(token));
        }
        String region = settings.string("ES_AWS_REGION", "");
        if (!region.isEmpty()) {
            String service = settings.string("ES_AWS_SERVICE", "es");
            if (!service.equals("es") && !service.equals("aoss")) {
                throw new SettingsException("ES_AWS_SERVICE", "is '" + service + "', must be es (Amazon OpenSearch Service) "
                        + "or aoss (OpenSearch Serverless)");
            }
            given.put("ES_AWS_REGION", new Auth.AwsSigV4(region, service));
        }
        if (given.size() > 1) {
            List<String> keys = List.copyOf(given.keySet());
            throw new SettingsException(keys.get(0), "is set together with " + String.join(" and ", keys.subList(1, keys.size()))
                    + ": set only one way to authenticate");
        }
        return given.isEmpty() ? new Auth.None() : given.values().iterator().next();
    }

    /** A plain http engine without credentials: the local stack's. */
    public static SearchEngineConfig of(String url) {
        return new SearchEngineConfig(URI.create(url), new Auth.None(), null, true, Duration.ofSeconds(10));
    }

    @Override
    public String toString() {
        return "SearchEngineConfig[url=" + url + ", auth=" + auth.describe()
                + (caCertificate == null ? "" : ", ca=" + caCertificate) + (verifyHostname ? "" : ", hostnames NOT verified")
                + ", timeout=" + requestTimeout + "]";
    }
}
