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

    /**
     * ON_HISTORY_LOST=resnapshot is Debezium's when_needed snapshot mode; settings that contradict it are refused naming the
     * key; SLOT_FAILOVER is Debezium's slot.failover, off by default.
     */
    @Test
    void onHistoryLostChoosesDebeziumsSnapshotModeAndSlotFailoverItsFailoverSlot() {
        assertThat(CustomersCdcConfig.from(new Settings(Map.of("POSTGRES_PASSWORD", "pw"))).connectorProperties())
                .containsEntry("snapshot.mode", "initial").containsEntry("slot.failover", "false");
        assertThat(CustomersCdcConfig.from(new Settings(Map.of("POSTGRES_PASSWORD", "pw", "ON_HISTORY_LOST", "resnapshot",
                "SLOT_FAILOVER", "true"))).connectorProperties())
                .containsEntry("snapshot.mode", "when_needed").containsEntry("slot.failover", "true");
        assertThatThrownBy(() -> CustomersCdcConfig.from(new Settings(Map.of("POSTGRES_PASSWORD", "pw", "ON_HISTORY_LOST", "retry"))))
                .hasMessage("Setting ON_HISTORY_LOST is 'retry', must be fail or resnapshot");
        assertThatThrownBy(() -> CustomersCdcConfig.from(new Settings(Map.of("POSTGRES_PASSWORD", "pw", "SNAPSHOT_MODE", "when_needed"))))
                .hasMessageStartingWith("Setting ON_HISTORY_LOST is fail, while SNAPSHOT_MODE when_needed re-snapshots");
        assertThatThrownBy(() -> CustomersCdcConfig.from(new Settings(Map.of("POSTGRES_PASSWORD", "pw", "ON_HISTORY_LOST", "resnapshot",
                "SNAPSHOT_MODE", "no_data")))).hasMessageContaining("SNAPSHOT_MODE no_data does not allow one then");
        assertThatThrownBy(() -> CustomersCdcConfig.from(new Settings(Map.of("POSTGRES_PASSWORD", "pw", "SLOT_FAILOVER", "maybe"))))
                .hasMessage("Setting SLOT_FAILOVER is 'maybe', must be true or false");
    }

    @Test
    void lsnsReadAsPostgresWritesThemAndDebeziumStoresThem() {
        assertThat(SlotHistory.lsn("16/B374D848")).isEqualTo(0x16B374D848L);
        assertThat(SlotHistory.text(0x16B374D848L)).isEqualTo("16/B374D848");
        assertThat(SlotHistory.lsn(null)).isEqualTo(-1);
    }
}
