package io.streamingetl.logistics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingetl.runtime.Settings;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class LogisticsCdcConfigTest {
    /** One database watched, so the login needs read on it alone (mongo/init-replica-set.js), not on the whole deployment. */
    @Test
    void captureWatchesTheOneDatabaseOfItsCollections() {
        Properties connector = LogisticsCdcConfig.from(Settings.from(Map.of())).connectorProperties();

        assertThat(connector.getProperty("capture.scope")).isEqualTo("database");
        assertThat(connector.getProperty("capture.target")).isEqualTo("logistics");
        assertThat(connector.getProperty("signal.data.collection")).isEqualTo("logistics.debezium_signal");
    }

    @Test
    void aCollectionInAnotherDatabaseIsRefusedNamingItsSetting() {
        assertThatThrownBy(() -> LogisticsCdcConfig.from(Settings.from(Map.of("SIGNAL_COLLECTION", "admin.debezium_signal"))))
                .hasMessage("Setting SIGNAL_COLLECTION is 'admin.debezium_signal', must be in the database of ORDERS_COLLECTION"
                        + " (logistics): capture watches that one database");
    }
}
