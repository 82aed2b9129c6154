package io.streamingetl.search;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AuthTest {
    @Test
    void basicSendsTheUserAndPasswordEncodedAsHttpSays() {
        assertThat(new Auth.Basic("etl", "s3cret").header().getValue()).isEqualTo("Basic ZXRsOnMzY3JldA==");
    }

    @Test
    void anApiKeyIsSentAsElasticsearchHandsItOut() {
        assertThat(new Auth.ApiKey("VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==").header().getValue())
                .isEqualTo("ApiKey VnVhQ2ZHY0JDZGJrUW0tZTVhT3g6dWkybHAyYXhUTm1zeWFrdzl0dk5udw==");
    }

    @Test
    void aBearerTokenIsSentAsOAuthSays() {
        assertThat(new Auth.Bearer("eyJhbGciOi").header().getValue()).isEqualTo("Bearer eyJhbGciOi");
    }

    @Test
    void sigV4AndNoneAddNoHeaderAndSigV4SendsNoReusableSecret() {
        assertThat(new Auth.AwsSigV4("eu-west-1", "es").header()).isNull();
        assertThat(new Auth.AwsSigV4("eu-west-1", "es").sendsSecret()).isFalse();
        assertThat(new Auth.None().header()).isNull();
    }

    @Test
    void noneShowsItsSecretWhenPrinted() {
        assertThat(new Auth.Basic("etl", "s3cret").toString()).isEqualTo("basic(etl)");
        assertThat(new Auth.ApiKey("a2V5").toString()).isEqualTo("api-key");
        assertThat(new Auth.Bearer("t0k").toString()).isEqualTo("bearer");
    }
}
