package io.streamingetl.essink;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequestInterceptor;
import org.apache.http.HttpResponseInterceptor;
import org.apache.http.auth.AuthScope;
import org.apache.http.auth.UsernamePasswordCredentials;
import org.apache.http.impl.client.BasicCredentialsProvider;
import org.apache.http.impl.nio.client.HttpAsyncClientBuilder;
import org.apache.http.message.BasicHeader;
import org.apache.http.util.EntityUtils;
import org.elasticsearch.client.Request;
import org.elasticsearch.client.RestClient;
import org.elasticsearch.client.RestClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The official Java client for the configured cluster. Elasticsearch before 7.14 (such as the 7.10 node the
 * local stack embeds) does not send the {@code X-Elastic-Product} header the client insists on and answers
 * 406 to the client's versioned media types; for such a server only, {@link #forServerBefore714} adds the
 * header to responses and sends plain {@code application/json} / {@code application/x-ndjson}.
 */
public final class ElasticsearchClients {
    private static final Logger LOG = LoggerFactory.getLogger(ElasticsearchClients.class);
    private static final Pattern VERSION = Pattern.compile("\"number\"\\s*:\\s*\"(\\d+)\\.(\\d+)");

    private ElasticsearchClients() {
    }

    /** A client for {@code config}'s cluster; asks the server its version first. */
    public static ElasticsearchClient create(EsSinkConfig config) throws IOException {
        RestClient probe = restClient(config, false).build();
        boolean legacy;
        try {
            legacy = isBefore714(serverVersion(probe));
        } finally {
            probe.close();
        }
        RestClient restClient = restClient(config, legacy).build();
        // A plain ObjectMapper: the client's default one leaves out null fields, where a document keeps them
        // (explicit nulls, as Kafka Connect's Elasticsearch sink writes them).
        return new ElasticsearchClient(new RestClientTransport(restClient, new JacksonJsonpMapper(new ObjectMapper())));
    }

    static boolean isBefore714(int[] version) {
        return version[0] < 7 || (version[0] == 7 && version[1] < 14);
    }

    /** [major, minor] of the server's {@code GET /} answer. */
    static int[] serverVersion(RestClient client) throws IOException {
        String body = EntityUtils.toString(client.performRequest(new Request("GET", "/")).getEntity());
        Matcher m = VERSION.matcher(body);
        if (!m.find()) {
            throw new IOException("Elasticsearch's root answer has no version number: " + body);
        }
        return new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))};
    }

    private static RestClientBuilder restClient(EsSinkConfig config, boolean forServerBefore714) {
        int port = config.url().getPort() != -1 ? config.url().getPort() : config.url().getScheme().equals("https") ? 443 : 80;
        RestClientBuilder builder = RestClient.builder(new HttpHost(config.url().getHost(), port, config.url().getScheme()));
        if (!config.apiKey().isEmpty()) {
            builder.setDefaultHeaders(new Header[] {new BasicHeader("Authorization", "ApiKey " + config.apiKey())});
        }
        // A node that stopped answering must fail the request soon, so the sink reports it and backs off.
        int timeout = (int) config.requestTimeout().toMillis();
        builder.setRequestConfigCallback(request -> request.setConnectTimeout(Math.min(timeout, 5000)).setSocketTimeout(timeout));
        builder.setHttpClientConfigCallback(http -> {
            if (!config.username().isEmpty()) {
                BasicCredentialsProvider credentials = new BasicCredentialsProvider();
                credentials.setCredentials(AuthScope.ANY, new UsernamePasswordCredentials(config.username(), config.password()));
                http.setDefaultCredentialsProvider(credentials);
            }
            if (config.caCertificate() != null) {
                http.setSSLContext(sslContextTrusting(config));
            }
            if (forServerBefore714) {
                forServerBefore714(http);
            }
            return http;
        });
        return builder;
    }

    /** The adapter for Elasticsearch 7.0-7.13, in this one place. */
    static void forServerBefore714(HttpAsyncClientBuilder http) {
        http.addInterceptorLast((HttpRequestInterceptor) (request, context) -> {
            for (String name : new String[] {"Content-Type", "Accept"}) {
                for (Header header : request.getHeaders(name)) {
                    request.setHeader(name, plainMediaType(header.getValue()));
                }
            }
        });
        http.addInterceptorLast((HttpResponseInterceptor) (response, context) -> {
            if (!response.containsHeader("X-Elastic-Product")) {
                response.addHeader("X-Elastic-Product", "Elasticsearch");
            }
        });
        LOG.info("Elasticsearch is older than 7.14: sending plain JSON media types and accepting answers without X-Elastic-Product");
    }

    static String plainMediaType(String value) {
        if (value.contains("vnd.elasticsearch+x-ndjson")) {
            return "application/x-ndjson";
        }
        if (value.contains("vnd.elasticsearch+json")) {
            return "application/json";
        }
        return value;
    }

    private static SSLContext sslContextTrusting(EsSinkConfig config) {
        try (InputStream in = Files.newInputStream(config.caCertificate())) {
            Certificate ca = CertificateFactory.getInstance("X.509").generateCertificate(in);
            KeyStore trust = KeyStore.getInstance("pkcs12");
            trust.load(null, null);
            trust.setCertificateEntry("ca", ca);
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

}
