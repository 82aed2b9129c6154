package io.streamingetl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingetl.runtime.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CliSettingsTest {
    @Test
    void theOperatorsTokenAndThePasswordsStayOutOfToString() {
        CliSettings settings = CliSettings.from(Settings.from(Map.of(
                "OPS_TOKEN", "an-operator-token-of-the-cli",
                "ES_URL", "https://search.example:9200",
                "ES_USERNAME", "sink",
                "ES_PASSWORD", "search-engine-secret",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "PLAIN",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"kafka-secret\";")));

        assertThat(settings.toString()).doesNotContain("an-operator-token-of-the-cli").doesNotContain("search-engine-secret")
                .doesNotContain("kafka-secret").contains("opsToken=***");
    }
}
