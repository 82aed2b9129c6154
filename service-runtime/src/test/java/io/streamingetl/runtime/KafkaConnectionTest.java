package io.streamingetl.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KafkaConnectionTest {
    private static final String JAAS = "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"etl\" "
            + "password=\"s3cret\";";

    @Test
    void theSecuritySettingsBecomeTheClientPropertiesOfEveryClient(@TempDir Path dir) throws IOException {
        Path truststore = Files.writeString(dir.resolve("truststore.p12"), "x");
        KafkaConnection kafka = KafkaConnection.from(new Settings(Map.of(
                "KAFKA_BOOTSTRAP_SERVERS", "kafka-1:9093,kafka-2:9093",
                "KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512",
                "KAFKA_SASL_JAAS_CONFIG", JAAS,
                "KAFKA_SSL_TRUSTSTORE_LOCATION", truststore.toString(),
                "KAFKA_SSL_TRUSTSTORE_PASSWORD", "changeit",
                "KAFKA_CLIENT_CLIENT_DNS_LOOKUP", "use_all_dns_ips")));

        assertThat(kafka.properties()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "bootstrap.servers", "kafka-1:9093,kafka-2:9093",
                "security.protocol", "SASL_SSL",
                "sasl.mechanism", "SCRAM-SHA-512",
                "sasl.jaas.config", JAAS,
                "ssl.truststore.location", truststore.toString(),
                "ssl.truststore.password", "changeit",
                "client.dns.lookup", "use_all_dns_ips"));
        assertThat(kafka.with(Map.of("acks", "all"))).containsEntry("acks", "all").containsEntry("security.protocol", "SASL_SSL");
    }

    @Test
    void secretsAreReadFromFilesAndNeverShown(@TempDir Path dir) throws IOException {
        Path jaas = Files.writeString(dir.resolve("jaas"), JAAS + "\n");
        KafkaConnection kafka = KafkaConnection.from(new Settings(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL",
                "KAFKA_SASL_MECHANISM", "SCRAM-SHA-512", "KAFKA_SASL_JAAS_CONFIG_FILE", jaas.toString())));

        assertThat(kafka.properties()).containsEntry("sasl.jaas.config", JAAS);
        assertThat(kafka.toString()).doesNotContain("s3cret").contains("sasl.jaas.config=***");
    }

    @Test
    void aPlaintextDeploymentNeedsOnlyItsBootstrapServers() {
        assertThat(KafkaConnection.from(new Settings(Map.of())).properties())
                .isEqualTo(Map.of("bootstrap.servers", KafkaSettings.DEFAULT_BOOTSTRAP_SERVERS));
    }

    @Test
    void aWrongOrIncompleteSecuritySettingNamesItsKey() {
        assertThatThrownBy(() -> KafkaConnection.from(new Settings(Map.of("KAFKA_SECURITY_PROTOCOL", "TLS"))))
                .hasMessageStartingWith("Setting KAFKA_SECURITY_PROTOCOL is 'TLS', must be one of [PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL]");
        assertThatThrownBy(() -> KafkaConnection.from(new Settings(Map.of("KAFKA_SECURITY_PROTOCOL", "SASL_SSL"))))
                .hasMessageStartingWith("Setting KAFKA_SASL_JAAS_CONFIG is required with KAFKA_SECURITY_PROTOCOL SASL_SSL");
        assertThatThrownBy(() -> KafkaConnection.from(new Settings(Map.of("KAFKA_SSL_TRUSTSTORE_LOCATION", "/no/such.p12"))))
                .hasMessage("Setting KAFKA_SSL_TRUSTSTORE_LOCATION is '/no/such.p12', not a readable file");
        assertThatThrownBy(() -> KafkaConnection.from(new Settings(Map.of("KAFKA_SASL_JAAS_CONFIG_FILE", "/no/such/file"))))
                .hasMessageStartingWith("Setting KAFKA_SASL_JAAS_CONFIG_FILE is '/no/such/file', not a readable file");
    }
}
