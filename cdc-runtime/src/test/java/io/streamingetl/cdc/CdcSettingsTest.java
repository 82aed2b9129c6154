package io.streamingetl.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingetl.runtime.Settings;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CdcSettingsTest {
    @Test
    void debeziumsPassedThroughSecretsAndKafkasCredentialsStayOutOfToString() {
        CdcSettings settings = CdcSettings.from(Settings.from(Map.of(
                "DEBEZIUM_MONGODB_SSL_TRUSTSTORE_PASSWORD", "truststore-secret",
                "DEBEZIUM_SNAPSHOT_FETCH_SIZE", "1000",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "PLAIN",
                "KAFKA_SASL_JAAS_CONFIG", "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"u\" password=\"kafka-secret\";")),
                "logistics-cdc");

        assertThat(settings.toString()).doesNotContain("truststore-secret").doesNotContain("kafka-secret")
                .contains("mongodb.ssl.truststore.password=***").contains("snapshot.fetch.size=1000");
    }
}
