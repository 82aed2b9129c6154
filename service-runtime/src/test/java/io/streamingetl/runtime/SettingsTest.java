package io.streamingetl.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingetl.avro.Order;
import io.streamingetl.contract.Topic;
import io.streamingetl.contract.Topics;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsTest {

    @Test
    void anUnsetKeyGivesItsDefault() {
        assertThat(new Settings(Map.of()).integer("HTTP_PORT", 8081, 0, 65535)).isEqualTo(8081);
    }

    @Test
    void aWrongNumberNamesTheKey() {
        assertThatThrownBy(() -> new Settings(Map.of("HTTP_PORT", "eighty")).integer("HTTP_PORT", 8081, 0, 65535))
                .isInstanceOf(SettingsException.class)
                .hasMessage("Setting HTTP_PORT is 'eighty', not a whole number");
    }

    @Test
    void aNumberOutOfRangeNamesTheKeyAndTheRange() {
        assertThatThrownBy(() -> new Settings(Map.of("HTTP_PORT", "70000")).integer("HTTP_PORT", 8081, 0, 65535))
                .hasMessage("Setting HTTP_PORT is 70000, must be between 0 and 65535");
    }

    @Test
    void durationsReadShortAndIsoForms() {
        Settings settings = new Settings(Map.of("A", "7d", "B", "500ms", "C", "PT24H"));
        assertThat(settings.duration("A", null)).isEqualTo(Duration.ofDays(7));
        assertThat(settings.duration("B", null)).isEqualTo(Duration.ofMillis(500));
        assertThat(settings.duration("C", null)).isEqualTo(Duration.ofHours(24));
    }

    @Test
    void aWrongDurationNamesTheKey() {
        assertThatThrownBy(() -> new Settings(Map.of("JOIN_GRACE", "a day")).duration("JOIN_GRACE", Duration.ZERO))
                .hasMessage("Setting JOIN_GRACE is 'a day', not a duration such as 500ms, 30s, 24h, 7d or PT24H");
    }

    @Test
    void theEnvironmentWinsOverTheSettingsFile(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("service.properties");
        Files.writeString(file, "ES_INDEX=from_file\nGROUP_ID=file-group\n");
        Settings settings = Settings.from(Map.of(Settings.SETTINGS_FILE, file.toString(), "ES_INDEX", "from_env"));
        assertThat(settings.string("ES_INDEX", "default")).isEqualTo("from_env");
        assertThat(settings.string("GROUP_ID", "default")).isEqualTo("file-group");
    }

    @Test
    void aBadBootstrapListNamesTheKey() {
        assertThatThrownBy(() -> KafkaSettings.bootstrapServers(new Settings(Map.of("KAFKA_BOOTSTRAP_SERVERS", "kafka"))))
                .hasMessage("Setting KAFKA_BOOTSTRAP_SERVERS is 'kafka', must be host:port[,host:port...]");
    }

    @Test
    void clientPropertiesPassThroughFromTheEnvironment() {
        Settings settings = new Settings(Map.of("KAFKA_STREAMS_MAX_TASK_IDLE_MS", "100", "OTHER", "x"));
        assertThat(ServiceRuntime.passThrough(settings, "KAFKA_STREAMS_")).isEqualTo(Map.of("max.task.idle.ms", "100"));
    }

    @Test
    void anIllegalTopicNameNamesTheKey() {
        assertThatThrownBy(() -> new Settings(Map.of("ORDERS_TOPIC", "my orders")).topic(Topics.ORDERS))
                .hasMessage("Setting ORDERS_TOPIC is 'my orders', not a legal Kafka topic name");
    }

    @Test
    void aSchemaRegistryThatIsNoHttpUrlNamesTheKey() {
        assertThatThrownBy(() -> SchemaRegistries.of(new Settings(Map.of("SCHEMA_REGISTRY_URL", "ftp://registry:8080"))))
                .hasMessage("Setting SCHEMA_REGISTRY_URL is 'ftp://registry:8080', must start with http:// or https://");
        assertThatThrownBy(() -> SchemaRegistries.of(new Settings(Map.of("SCHEMA_REGISTRY_USERNAME", "etl"))))
                .hasMessage("Setting SCHEMA_REGISTRY_PASSWORD is required when SCHEMA_REGISTRY_USERNAME is set");
    }

    @Test
    void aDeploymentsTopicsHaveTheirValuesInItsRegistryUnderTopicNameSubjects() {
        Settings settings = new Settings(Map.of("ORDERS_TOPIC", "orders", "SCHEMA_REGISTRY_URL", "mock://settings-test"));
        Topic<String, Order> orders = settings.topic(Topics.ORDERS);

        assertThat(orders.subject()).isEqualTo("orders-value");
        assertThat(orders.registry().location()).isEqualTo("mock://settings-test");
    }
}
