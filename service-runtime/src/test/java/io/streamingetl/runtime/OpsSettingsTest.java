package io.streamingetl.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class OpsSettingsTest {
    @Test
    void theOperatorsTokenStaysOutOfToString() {
        OpsSettings settings = OpsSettings.from(Settings.from(Map.of("OPS_TOKEN", "a-token-nobody-may-print")), 8081);

        assertThat(settings.toString()).doesNotContain("a-token-nobody-may-print").contains("token=***").contains("port=8081");
        assertThat(OpsSettings.loopback(0).toString()).contains("token=none");
    }

    @Test
    void secretsAreKnownByTheirNamesAndMaskedInAMapForPrinting() {
        assertThat(SafeText.masked(Map.of("POSTGRES_PASSWORD", "pw", "mongodb.ssl.truststore.password", "pw2", "KAFKA_SASL_JAAS_CONFIG",
                "jaas", "ES_API_KEY", "key", "POSTGRES_HOST", "db"))).containsEntry("POSTGRES_PASSWORD", "***")
                .containsEntry("mongodb.ssl.truststore.password", "***").containsEntry("KAFKA_SASL_JAAS_CONFIG", "***")
                .containsEntry("ES_API_KEY", "***").containsEntry("POSTGRES_HOST", "db");
    }
}
