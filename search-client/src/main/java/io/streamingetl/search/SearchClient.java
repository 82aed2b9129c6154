package io.streamingetl.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingetl.runtime.SafeText;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Clock;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.Response;
import org.elasticsearch.client.ResponseException;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;

/**
 * One HTTP client for every engine the sink writes to: the low-level REST client (Apache 2.0, the same for
 * Elasticsearch and OpenSearch, no product check), with the configured credentials and TLS, asking in JSON. Any
 * status is an {@link Answer}; only the transport's failures (unreachable, timed out) are exceptions.
 */
public final class SearchClient implements AutoCloseable {
    public static final ObjectMapper JSON = new ObjectMapper();

    private final RestClient rest;
    private final SearchEngineConfig config;

    /** What the engine answered: its status and body (its JSON, when it is JSON). */
    public record Answer(int status, String body) {
        public boolean ok() {
            return status / 100 == 2;
        }

        /** The body as JSON; a missing node when it is not JSON (a proxy's page, an empty 413). */
        public JsonNode json() {
            try {
                return body.isEmpty() ? JSON.missingNode() : JSON.readTree(body);
            } catch (IOException e) {
                return JSON.missingNode();
            }
        }

        /** The engine's own error ({@code error.type: error.reason}), or the status and the start of the body. */
        public String error() {
            JsonNode error = json().path("error");
            if (error.isObject()) {
                return status + " " + error.path("type").asText() + ": " + error.path("reason").asText();
            }
            String text = body.strip();
            return status + (text.isEmpty() ? " (no body)" : " " + SafeText.of(text.length() > 200 ? text.substring(0, 200) + "..." : text));
        }
    }

    private SearchClient(RestClient rest, SearchEngineConfig config) {
        this.rest = rest;
        this.config = config;
    }

    public static SearchClient connect(SearchEngineConfig config) {
        return connect(config, config.auth() instanceof Auth.AwsSigV4 ? DefaultCredentialsProvider.builder().build() : null);
    }

    /** With {@code awsCredentials} for SigV4 (tests give static ones). */
    static SearchClient connect(SearchEngineConfig config, AwsCredentialsProvider awsCredentials) {
        int port = config.url().getPort() != -1 ? config.url().getPort() : config.url().getScheme().equals("https") ? 443 : 80;
        RestClientBuilder builder = RestClient.builder(new HttpHost(config.url().getHost(), port, config.url().getScheme()));
        String path = config.url().getPath();
        if (path != null && !path.isEmpty() && !path.equals("/")) {
            builder.setPathPrefix(path);
        }
        Header auth = config.auth().header();
        if (auth != null) {
            builder.setDefaultHeaders(new Header[] {auth});
        }
        // A node that stopped answering must fail the request soon, so the caller reports it and backs off.
        int timeout = (int) config.requestTimeout().toMillis();
        builder.setRequestConfigCallback(request -> request.setConnectTimeout(Math.min(timeout, 5000)).setSocketTimeout(timeout));
        builder.setHttpClientConfigCallback(http -> {
            if (config.caCertificate() != null) {
                http.setSSLContext(sslContextTrusting(config));
            }
            if (!config.verifyHostname()) {
                http.setSSLHostnameVerifier(NoopHostnameVerifier.INSTANCE);
            }
            if (config.auth() instanceof Auth.AwsSigV4 sigV4) {
                http.addInterceptorLast(new AwsSigV4Signer(awsCredentials, sigV4.region(), sigV4.service(), Clock.systemUTC()));
            }
            return http;
        });
        return new SearchClient(builder.build(), config);
    }

    /** The engine behind the URL: {@code GET /}, or OpenSearch Serverless when signing for {@code aoss}. */
    public SearchEngine detect() throws IOException {
        if (config.auth() instanceof Auth.AwsSigV4 sigV4 && sigV4.service().equals("aoss")) {
            return SearchEngine.SERVERLESS;
        }
        Answer root = send("GET", "/", null);
        if (!root.ok()) {
            throw new IOException("GET / answered " + root.error());
        }
        return SearchEngine.fromRoot(root.json());
    }

    public Answer get(String path) throws IOException {
        return send("GET", path, null);
    }

    /** A request with a JSON body ({@code body} a Map, a JsonNode or a String), or none. */
    public Answer send(String method, String path, Object body) throws IOException {
        byte[] bytes = body == null ? null : body instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : JSON.writeValueAsBytes(body);
        return send(method, path, bytes, ContentType.APPLICATION_JSON);
    }

    public Answer send(String method, String path, byte[] body, ContentType contentType) throws IOException {
        Request request = new Request(method, path);
        if (body != null) {
            request.setEntity(new ByteArrayEntity(body, contentType));
        }
        Response response;
        try {
            response = rest.performRequest(request);
        } catch (ResponseException e) {
            response = e.getResponse();
        }
        String answer = response.getEntity() == null ? "" : EntityUtils.toString(response.getEntity(), StandardCharsets.UTF_8);
        return new Answer(response.getStatusLine().getStatusCode(), answer);
    }

    /** A JSON body as a Map, for a test or a tool to compare. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> asMap(JsonNode json) {
        return JSON.convertValue(json, Map.class);
    }

    public SearchEngineConfig config() {
        return config;
    }

    private static SSLContext sslContextTrusting(SearchEngineConfig config) {
        try (InputStream in = Files.newInputStream(config.caCertificate())) {
            KeyStore trust = KeyStore.getInstance("pkcs12");
            trust.load(null, null);
            // The JVM's own CAs stay trusted beside the given ones (a public endpoint behind a private gateway, say).
            TrustManagerFactory defaults = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            defaults.init((KeyStore) null);
            int n = 0;
            for (Certificate ca : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trust.setCertificateEntry("ca-" + n++, ca);
            }
            for (var manager : defaults.getTrustManagers()) {
                if (manager instanceof javax.net.ssl.X509TrustManager x509) {
                    for (var ca : x509.getAcceptedIssuers()) {
                        trust.setCertificateEntry("jvm-" + n++, ca);
                    }
                }
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, tmf.getTrustManagers(), null);
            return context;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot read the CA certificate of ES_CA_CERT " + config.caCertificate()
                    + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            rest.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
