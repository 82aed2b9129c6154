package io.streamingetl.search;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.http.Header;
import org.apache.http.HttpEntity;
import org.apache.http.HttpEntityEnclosingRequest;
import org.apache.http.HttpHost;
import org.apache.http.HttpRequest;
import org.apache.http.HttpRequestInterceptor;
import org.apache.http.protocol.HttpContext;
import org.apache.http.protocol.HttpCoreContext;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/**
 * Signs each request with AWS Signature Version 4, as Amazon OpenSearch Service ({@code es}) and OpenSearch
 * Serverless ({@code aoss}) require: the AWS SDK's own signer over the method, path, query, host, content type
 * and the payload's SHA-256 (sent as {@code x-amz-content-sha256}, which Serverless demands), with credentials
 * from the given provider (the SDK's default chain in a deployment: environment, profile, web identity, the
 * instance's or the pod's role), resolved again for every request so rotated ones are picked up.
 */
final class AwsSigV4Signer implements HttpRequestInterceptor {
    private static final List<String> SIGNED_HEADERS = List.of("Authorization", "X-Amz-Date", "X-Amz-Security-Token",
            "x-amz-content-sha256");

    private final AwsCredentialsProvider credentials;
    private final String region;
    private final String service;
    private final Clock clock;
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();

    AwsSigV4Signer(AwsCredentialsProvider credentials, String region, String service, Clock clock) {
        this.credentials = credentials;
        this.region = region;
        this.service = service;
        this.clock = clock;
    }

    @Override
    public void process(HttpRequest request, HttpContext context) throws IOException {
        HttpHost host = HttpCoreContext.adapt(context).getTargetHost();
        byte[] body = body(request);
        String contentSha256 = sha256(body);
        SdkHttpRequest.Builder unsigned = SdkHttpRequest.builder()
                .method(SdkHttpMethod.fromValue(request.getRequestLine().getMethod().toUpperCase(Locale.ROOT)))
                .uri(URI.create(host.toURI() + request.getRequestLine().getUri()))
                .putHeader("x-amz-content-sha256", contentSha256);
        Header contentType = request.getFirstHeader("Content-Type");
        if (contentType != null) {
            unsigned.putHeader("Content-Type", contentType.getValue());
        }
        SignedRequest signed = signer.sign(r -> r.identity(credentials.resolveCredentials())
                .request(unsigned.build())
                .payload(body == null ? null : ContentStreamProvider.fromByteArray(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        for (Map.Entry<String, List<String>> header : signed.request().headers().entrySet()) {
            if (SIGNED_HEADERS.stream().anyMatch(h -> h.equalsIgnoreCase(header.getKey()))) {
                request.setHeader(header.getKey(), header.getValue().get(0));
            }
        }
    }

    /** The request's body: the pipeline's requests carry byte arrays, which can be read again. */
    private static byte[] body(HttpRequest request) throws IOException {
        if (!(request instanceof HttpEntityEnclosingRequest enclosing) || enclosing.getEntity() == null) {
            return null;
        }
        HttpEntity entity = enclosing.getEntity();
        if (!entity.isRepeatable()) {
            throw new IOException("cannot sign a request whose body can be read only once");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        entity.writeTo(out);
        return out.toByteArray();
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
