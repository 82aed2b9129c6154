package io.streamingetl.search;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import org.apache.http.HttpHost;
import org.apache.http.entity.ByteArrayEntity;
import org.apache.http.entity.ContentType;
import org.apache.http.message.BasicHttpEntityEnclosingRequest;
import org.apache.http.protocol.BasicHttpContext;
import org.apache.http.protocol.HttpCoreContext;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

class AwsSigV4SignerTest {
    private static final Clock AT = Clock.fixed(Instant.parse("2026-12-04T10:00:00Z"), ZoneOffset.UTC);

    private static BasicHttpEntityEnclosingRequest signed(String service) throws Exception {
        AwsSigV4Signer signer = new AwsSigV4Signer(StaticCredentialsProvider.create(
                AwsBasicCredentials.create("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")), "eu-west-1", service, AT);
        BasicHttpEntityEnclosingRequest request = new BasicHttpEntityEnclosingRequest("POST", "/_bulk");
        request.setEntity(new ByteArrayEntity("{\"index\":{}}\n{}\n".getBytes(StandardCharsets.UTF_8),
                ContentType.create("application/x-ndjson")));
        request.setHeader("Content-Type", "application/x-ndjson");
        BasicHttpContext context = new BasicHttpContext();
        context.setAttribute(HttpCoreContext.HTTP_TARGET_HOST, new HttpHost("search-x.eu-west-1.es.amazonaws.com", 443, "https"));
        signer.process(request, context);
        return request;
    }

    @Test
    void aBulkRequestIsSignedForItsRegionAndServiceAtItsTimeWithThePayloadsHash() throws Exception {
        BasicHttpEntityEnclosingRequest request = signed("es");

        assertThat(request.getFirstHeader("Authorization").getValue())
                .startsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261204/eu-west-1/es/aws4_request, SignedHeaders=")
                .contains("host").contains("x-amz-content-sha256").contains("x-amz-date").contains("Signature=");
        assertThat(request.getFirstHeader("X-Amz-Date").getValue()).isEqualTo("20261204T100000Z");
        assertThat(request.getFirstHeader("x-amz-content-sha256").getValue()).isEqualTo(HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest("{\"index\":{}}\n{}\n".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void theSameRequestSignedTwiceAtTheSameTimeGivesTheSameSignatureAndServerlessItsOwnScope() throws Exception {
        assertThat(signed("es").getFirstHeader("Authorization").getValue())
                .isEqualTo(signed("es").getFirstHeader("Authorization").getValue());
        assertThat(signed("aoss").getFirstHeader("Authorization").getValue()).contains("/eu-west-1/aoss/aws4_request");
    }
}
