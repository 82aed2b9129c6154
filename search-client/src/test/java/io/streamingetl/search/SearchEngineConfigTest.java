package io.streamingetl.search;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingetl.runtime.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchEngineConfigTest {
    private static SearchEngineConfig config(Map<String, String> settings) {
        return SearchEngineConfig.from(new Settings(settings));
    }

    @Test
    void credentialsOverPlainHttpAreRefusedUnlessAllowedOnPurpose() {
        assertThatThrownBy(() -> config(Map.of("ES_URL", "http://search:9200", "ES_USERNAME", "etl", "ES_PASSWORD", "s3cret")))
                .hasMessage("Setting ES_URL is 'http://search:9200' with credentials, which would cross the network in clear "
                        + "text: use https:// (ES_CA_CERT for a private CA), or set ES_ALLOW_PLAINTEXT_CREDENTIALS=true");
        assertThatThrownBy(() -> config(Map.of("ES_URL", "http://search:9200", "ES_API_KEY", "k")))
                .hasMessageStartingWith("Setting ES_URL is 'http://search:9200' with credentials");

        assertThat(config(Map.of("ES_URL", "http://search:9200", "ES_USERNAME", "etl", "ES_PASSWORD", "s3cret",
                "ES_ALLOW_PLAINTEXT_CREDENTIALS", "true")).toString()).contains("auth=basic(etl)").doesNotContain("s3cret");
    }

    @Test
    void eachWayToAuthenticateIsReadAndNoneShowsItsSecret() {
        assertThat(config(Map.of("ES_URL", "https://search:9200", "ES_USERNAME", "etl", "ES_PASSWORD", "s3cret")).auth())
                .isEqualTo(new Auth.Basic("etl", "s3cret"));
        assertThat(config(Map.of("ES_URL", "https://search:9200", "ES_API_KEY", "a2V5")).auth()).isEqualTo(new Auth.ApiKey("a2V5"));
        assertThat(config(Map.of("ES_URL", "https://search:9200", "ES_BEARER_TOKEN", "t0k")).auth()).isEqualTo(new Auth.Bearer("t0k"));
        assertThat(config(Map.of("ES_URL", "https://search-x.eu-west-1.es.amazonaws.com", "ES_AWS_REGION", "eu-west-1")).auth())
                .isEqualTo(new Auth.AwsSigV4("eu-west-1", "es"));
        assertThat(config(Map.of("ES_URL", "https://search:9200", "ES_API_KEY", "a2V5")).toString())
                .contains("auth=api-key").doesNotContain("a2V5");
    }

    @Test
    void aSecretIsAlsoReadFromTheFileItsKeyFileNames() throws Exception {
        Path file = Files.createTempFile("es-api-key", "");
        Files.writeString(file, "a2V5\n");

        assertThat(config(Map.of("ES_URL", "https://search:9200", "ES_API_KEY_FILE", file.toString())).auth())
                .isEqualTo(new Auth.ApiKey("a2V5"));
    }

    @Test
    void twoWaysToAuthenticateAtOnceAreRefusedNamingThem() {
        assertThatThrownBy(() -> config(Map.of("ES_URL", "https://search:9200", "ES_API_KEY", "a2V5", "ES_BEARER_TOKEN", "t0k")))
                .hasMessage("Setting ES_API_KEY is set together with ES_BEARER_TOKEN: set only one way to authenticate");
    }

    @Test
    void aUrlCarryingCredentialsIsRefusedSoTheyStayOutOfLogs() {
        assertThatThrownBy(() -> config(Map.of("ES_URL", "https://elastic:s3cret@search:9200")))
                .hasMessage("Setting ES_URL carries credentials: set ES_USERNAME and ES_PASSWORD (or ES_API_KEY) instead, so"
                        + " they stay out of logs");
    }

    @Test
    void anUnknownAwsServiceIsRefused() {
        assertThatThrownBy(() -> config(Map.of("ES_URL", "https://x", "ES_AWS_REGION", "eu-west-1", "ES_AWS_SERVICE", "s3")))
                .hasMessageStartingWith("Setting ES_AWS_SERVICE is 's3', must be es (Amazon OpenSearch Service) or aoss");
    }

    @Test
    void hostnamesAreVerifiedUnlessTurnedOffOnPurpose() {
        assertThat(config(Map.of("ES_URL", "https://search:9200")).verifyHostname()).isTrue();
        assertThat(config(Map.of("ES_URL", "https://search:9200", "ES_VERIFY_HOSTNAME", "false")).toString())
                .contains("hostnames NOT verified");
    }
}
