package io.streamingetl.demo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingetl.localstack.KafkaEngine;
import io.streamingetl.localstack.SearchEngineKind;
import io.streamingetl.runtime.DeliveryProfile;
import io.streamingetl.runtime.SettingsException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** ./demo.sh's arguments and settings, read without starting anything. */
class DemoCommandTest {
    private static final Path ROOT = Path.of("/repo");

    @Test
    void noArgumentsRunsTheDemoWithTheTutorialsData() throws Exception {
        assertThat(DemoCommand.parse(List.of())).isEqualTo(new DemoCommand.Run(true));
    }

    @Test
    void noSeedRunsTheDemoWithoutData() throws Exception {
        assertThat(DemoCommand.parse(List.of("--no-seed"))).isEqualTo(new DemoCommand.Run(false));
    }

    @Test
    void helpHasThreeSpellings() throws Exception {
        for (String help : List.of("help", "--help", "-h")) {
            assertThat(DemoCommand.parse(List.of(help))).isEqualTo(new DemoCommand.Help());
        }
    }

    @Test
    void theClientCommandsTakeTheirArguments() throws Exception {
        assertThat(DemoCommand.parse(List.of("sql", "DELETE FROM customers"))).isEqualTo(new DemoCommand.Sql("DELETE FROM customers"));
        assertThat(DemoCommand.parse(List.of("mongo", "orders", "{}"))).isEqualTo(new DemoCommand.Mongo("orders", "{}"));
        assertThat(DemoCommand.parse(List.of("live-step"))).isEqualTo(new DemoCommand.LiveStep());
        assertThat(DemoCommand.parse(List.of("seed"))).isEqualTo(new DemoCommand.Seed());
    }

    @Test
    void anUnknownOptionOrCommandIsAUsageError() {
        assertThatThrownBy(() -> DemoCommand.parse(List.of("--no-such-option")))
                .isInstanceOf(DemoCommand.UsageError.class).hasMessage("unknown option '--no-such-option'");
        assertThatThrownBy(() -> DemoCommand.parse(List.of("start")))
                .isInstanceOf(DemoCommand.UsageError.class).hasMessage("unknown command 'start'");
    }

    @Test
    void aMissingOrExtraArgumentIsAUsageError() {
        assertThatThrownBy(() -> DemoCommand.parse(List.of("mongo", "orders")))
                .isInstanceOf(DemoCommand.UsageError.class)
                .hasMessage("Missing required parameter: ''<json>''");
        assertThatThrownBy(() -> DemoCommand.parse(List.of("--no-seed", "x")))
                .isInstanceOf(DemoCommand.UsageError.class).hasMessage("--no-seed takes no arguments: [x]");
    }

    @Test
    void theUsageNamesEveryCommandAndEverySettingTheDemoReads() throws IOException {
        String usage = DemoCommand.usage();
        for (String command : List.of("--no-seed", "live-step", "seed", "sql \"<statement>\"", "mongo <collection> '<json>'",
                "help, --help, -h")) {
            assertThat(usage).contains(command);
        }
        Matcher settings = Pattern.compile("\"(DEMO_[A-Z_]+)\"").matcher(Files.readString(Path.of(
                "src/main/java/io/streamingetl/demo/DemoSettings.java")) + Files.readString(Path.of(
                "src/main/java/io/streamingetl/demo/DemoClient.java")) + Files.readString(Path.of(
                "../local-stack/src/main/java/io/streamingetl/localstack/SearchEngineKind.java")));
        Set<String> read = new TreeSet<>();
        while (settings.find()) {
            read.add(settings.group(1));
        }
        assertThat(read).hasSize(16).allSatisfy(setting -> assertThat(usage).contains("  " + setting + " "));
    }

    @Test
    void defaultsAreTheContractsPortsAndTheWorkDirectoryUnderTheRepository() {
        assertThat(DemoSettings.from(Map.of(), ROOT))
                .isEqualTo(new DemoSettings(29092, 5432, 27017, 9200, 8080, 8081, 3, Path.of("/repo/.demo"),
                        KafkaEngine.Security.PLAINTEXT, SearchEngineKind.ELASTICSEARCH, DeliveryProfile.EXACTLY_ONCE));
    }

    @Test
    void theDeliveryProfileIsEveryServicesAndAnUnknownOneIsNamed() {
        assertThat(DemoSettings.from(Map.of("DEMO_DELIVERY_PROFILE", "low-latency"), ROOT).serviceEnvironment())
                .isEqualTo(Map.of("DELIVERY_PROFILE", "low-latency"));
        assertThatThrownBy(() -> DemoSettings.from(Map.of("DEMO_DELIVERY_PROFILE", "fast"), ROOT))
                .hasMessage("Setting DEMO_DELIVERY_PROFILE is 'fast', must be one of exactly-once, low-latency");
    }

    @Test
    void theSearchEngineIsElasticsearchOrOpenSearchAndAnyOtherIsNamed() {
        assertThat(DemoSettings.from(Map.of("DEMO_SEARCH_ENGINE", "opensearch"), ROOT).searchEngine())
                .isEqualTo(SearchEngineKind.OPENSEARCH);
        assertThatThrownBy(() -> DemoSettings.from(Map.of("DEMO_SEARCH_ENGINE", "solr"), ROOT))
                .hasMessage("Setting DEMO_SEARCH_ENGINE is 'solr', must be elasticsearch or opensearch");
    }

    @Test
    void aWrongSettingIsNamed() {
        assertThatThrownBy(() -> DemoSettings.from(Map.of("DEMO_ES_PORT", "ninety"), ROOT))
                .isInstanceOf(SettingsException.class).hasMessageContaining("DEMO_ES_PORT");
    }

    @Test
    void aPortHeldByAnotherProgramIsNamedWithTheSettingThatMovesIt() throws IOException {
        try (ServerSocket other = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            DemoSettings settings = DemoSettings.from(Map.of("DEMO_KAFKA_PORT", "0", "DEMO_POSTGRES_PORT", "0",
                    "DEMO_MONGO_PORT", "0", "DEMO_ES_PORT", Integer.toString(other.getLocalPort()),
                    "DEMO_REGISTRY_PORT", "0", "DEMO_FIRST_HTTP_PORT", "0"), ROOT);
            assertThat(settings.portsTaken()).containsExactly("port " + other.getLocalPort()
                    + " is in use by another program: stop it, or set DEMO_ES_PORT to a free port");
        }
    }
}
