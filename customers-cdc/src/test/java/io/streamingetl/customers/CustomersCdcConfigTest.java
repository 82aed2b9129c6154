package io.streamingetl.customers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingetl.cdc.CdcSettings;
import io.streamingetl.runtime.Settings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CustomersCdcConfigTest {

    @Test
    void thePasswordHasNoDefaultAndMayComeFromAFile(@TempDir Path dir) throws IOException {
        assertThatThrownBy(() -> CustomersCdcConfig.from(new Settings(Map.of())))
                .hasMessage("Setting POSTGRES_PASSWORD is required and not set (or POSTGRES_PASSWORD_FILE naming a file that holds it)");

        Path secret = Files.writeString(dir.resolve("password"), "from-a-secret\n");
        CustomersCdcConfig config = CustomersCdcConfig.from(new Settings(Map.of("POSTGRES_PASSWORD_FILE", secret.toString())));
        assertThat(config.connectorProperties()).containsEntry("database.password", "from-a-secret");
        assertThat(config.toString()).doesNotContain("from-a-secret");
    }

    @Test
    void tlsToPostgresIsLibpqsSslModeWithARootCertificate(@TempDir Path dir) throws IOException {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "-----BEGIN CERTIFICATE-----");
        CustomersCdcConfig config = CustomersCdcConfig.from(new Settings(Map.of("POSTGRES_PASSWORD", "pw",
                "POSTGRES_SSLMODE", "verify-full", "POSTGRES_SSLROOTCERT", ca.toString())));

        assertThat(config.connectorProperties()).containsEntry("database.sslmode", "verify-full")
                .containsEntry("database.sslrootcert", ca.toString());
        assertThatThrownBy(() -> CustomersCdcConfig.from(new Settings(Map.of("POSTGRES_PASSWORD", "pw",
                "POSTGRES_SSLMODE", "on"))))
                .hasMessage("Setting POSTGRES_SSLMODE is 'on', must be disable, allow, prefer, require, verify-ca or verify-full");
    }

    @Test
    void debeziumPropertiesPassThroughAsDebeziumSettings() {
        CdcSettings settings = CdcSettings.from(new Settings(Map.of(
                "DEBEZIUM_HEARTBEAT_ACTION_QUERY", "UPDATE debezium_heartbeat SET ts = now()",
                "DEBEZIUM_SIGNAL_DATA_COLLECTION", "public.debezium_signal",
                "POSTGRES_PASSWORD", "pw")), "customers-cdc");

        assertThat(settings.debeziumPassThrough()).isEqualTo(Map.of(
                "heartbeat.action.query", "UPDATE debezium_heartbeat SET ts = now()",
                "signal.data.collection", "public.debezium_signal"));
    }

    /** Debezium's positions are replicated as the pipeline's topics are: a dead broker must not take them along. */
    @Test
    void theOffsetsTopicIsReplicatedAsTheServicesTopicsAreUnlessSetApart() {
        assertThat(CdcSettings.from(new Settings(Map.of()), "customers-cdc").offsetsReplicationFactor()).isEqualTo(-1);
        assertThat(CdcSettings.from(new Settings(Map.of("REPLICATION_FACTOR", "3")), "customers-cdc").offsetsReplicationFactor())
                .isEqualTo(3);
        assertThat(CdcSettings.from(new Settings(Map.of("REPLICATION_FACTOR", "3", "OFFSETS_REPLICATION_FACTOR", "2")),
                "customers-cdc").offsetsReplicationFactor()).isEqualTo(2);
    }
}
