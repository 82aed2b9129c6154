package io.streamingetl.essink;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingetl.runtime.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EsSinkConfigTest {

    @Test
    void credentialsOverPlainHttpAreRefusedUnlessAllowedOnPurpose() {
        assertThatThrownBy(() -> EsSinkConfig.from(new Settings(Map.of("ES_URL", "http://search:9200",
                "ES_USERNAME", "etl", "ES_PASSWORD", "s3cret"))))
                .hasMessage("Setting ES_URL is 'http://search:9200' with credentials, which would cross the network in clear "
                        + "text: use https:// (ES_CA_CERT for a private CA), or set ES_ALLOW_PLAINTEXT_CREDENTIALS=true");
        assertThatThrownBy(() -> EsSinkConfig.from(new Settings(Map.of("ES_URL", "http://search:9200", "ES_API_KEY", "k"))))
                .hasMessageStartingWith("Setting ES_URL is 'http://search:9200' with credentials");

        assertThat(EsSinkConfig.from(new Settings(Map.of("ES_URL", "http://search:9200", "ES_USERNAME", "etl",
                "ES_PASSWORD", "s3cret", "ES_ALLOW_PLAINTEXT_CREDENTIALS", "true"))).toString())
                .contains("auth=basic(etl)").doesNotContain("s3cret");
        assertThat(EsSinkConfig.from(new Settings(Map.of("ES_URL", "https://search:9200", "ES_USERNAME", "etl",
                "ES_PASSWORD", "s3cret"))).username()).isEqualTo("etl");
    }
}
