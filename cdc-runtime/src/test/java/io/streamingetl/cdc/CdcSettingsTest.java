package io.streamingetl.cdc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingetl.runtime.Settings;
import java.util.Map;
import java.util.Properties;
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

    /** Only the operator's channel and the source's (the watermarks) by default: no Kafka signal consumer at all. */
    @Test
    void theKafkaSignalChannelIsOffUnlessTurnedOnAndThenAllowsTheServicesPrincipal() {
        Properties off = CdcSettings.from(Settings.from(Map.of()), "customers-cdc").engineProperties();
        CdcSettings on = CdcSettings.from(Settings.from(Map.of("SIGNAL_KAFKA_ENABLED", "true", "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", "KAFKA_SASL_JAAS_CONFIG",
                "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"pipeline\" password=\"pw\";")),
                "customers-cdc");

        assertThat(off.getProperty("signal.enabled.channels")).isEqualTo("source," + OperatorSignals.NAME);
        assertThat(off.stringPropertyNames()).noneMatch(key -> key.startsWith("signal.kafka.") || key.startsWith("signal.consumer."));
        assertThat(on.engineProperties().getProperty("signal.enabled.channels")).isEqualTo("source," + OperatorSignals.NAME + ",kafka");
        assertThat(on.engineProperties().getProperty("signal.kafka.topic")).isEqualTo("customers-cdc-signals");
        assertThat(on.kafkaSignals().principal()).isEqualTo("User:pipeline");
        assertThatThrownBy(() -> CdcSettings.from(Settings.from(Map.of("SIGNAL_KAFKA_PRINCIPAL", "pipeline")), "customers-cdc"))
                .hasMessage("Setting SIGNAL_KAFKA_PRINCIPAL is 'pipeline', must be a Kafka principal such as User:pipeline");
    }
}
