package io.streamingetl.demo;

import io.streamingetl.contract.PipelineService;
import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.localstack.EmbeddedEngines;
import io.streamingetl.localstack.KafkaEngine;
import io.streamingetl.localstack.SearchEngineKind;
import io.streamingetl.runtime.DeliveryProfile;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.SettingsException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's {@code DEMO_*} settings (listed in {@code demo-usage.txt}), read and validated before anything
 * starts; a wrong one names its key.
 */
record DemoSettings(int kafkaPort, int postgresPort, int mongoPort, int searchPort, int registryPort,
                    int firstHttpPort, int partitions, Path workDir, KafkaEngine.Security kafkaSecurity,
                    SearchEngineKind searchEngine, DeliveryProfile deliveryProfile) {
    static final int SERVICES = LocalPipeline.SERVICES.size();

    static DemoSettings from(Map<String, String> environment, Path repositoryRoot) {
        Settings settings = Settings.from(environment);
        return new DemoSettings(
                port(settings, "DEMO_KAFKA_PORT", 29092),
                port(settings, "DEMO_POSTGRES_PORT", 5432),
                port(settings, "DEMO_MONGO_PORT", 27017),
                port(settings, "DEMO_ES_PORT", 9200),
                port(settings, "DEMO_REGISTRY_PORT", 8080),
                settings.integer("DEMO_FIRST_HTTP_PORT", PipelineService.CUSTOMERS_CDC.defaultHttpPort(), 0, 65535 - SERVICES + 1),
                settings.integer("DEMO_PARTITIONS", 3, 1, 1000),
                repositoryRoot.resolve(settings.string("DEMO_DIR", ".demo")).toAbsolutePath().normalize(),
                kafkaSecurity(settings.string("DEMO_KAFKA_SECURITY", "plaintext")),
                SearchEngineKind.from(settings),
                deliveryProfile(settings));
    }

    /** {@code DEMO_DELIVERY_PROFILE}, given to every service as its {@code DELIVERY_PROFILE}. */
    private static DeliveryProfile deliveryProfile(Settings settings) {
        return DeliveryProfile.named("DEMO_DELIVERY_PROFILE", settings.string("DEMO_DELIVERY_PROFILE",
                DeliveryProfile.EXACTLY_ONCE.toString()));
    }

    /** What every service is given besides the engines' settings. */
    Map<String, String> serviceEnvironment() {
        return Map.of(DeliveryProfile.SETTING, deliveryProfile.toString());
    }

    private static KafkaEngine.Security kafkaSecurity(String value) {
        return switch (value.toLowerCase()) {
            case "plaintext" -> KafkaEngine.Security.PLAINTEXT;
            case "sasl_ssl" -> KafkaEngine.Security.SASL_SSL;
            default -> throw new SettingsException("DEMO_KAFKA_SECURITY", "is '" + value + "', must be plaintext or sasl_ssl");
        };
    }

    EmbeddedEngines engines() {
        return new EmbeddedEngines(enginePorts(), workDir.resolve("data"), kafkaSecurity, searchEngine);
    }

    private static int port(Settings settings, String key, int defaultValue) {
        return settings.integer(key, defaultValue, 0, 65535);
    }

    EmbeddedEngines.Ports enginePorts() {
        return new EmbeddedEngines.Ports(kafkaPort, postgresPort, mongoPort, searchPort, registryPort);
    }

    /** Each fixed port the demo will listen on, by the setting that moves it (0, any free port, is left out). */
    Map<Integer, String> fixedPorts() {
        Map<Integer, String> ports = new LinkedHashMap<>();
        ports.put(kafkaPort, "DEMO_KAFKA_PORT");
        ports.put(postgresPort, "DEMO_POSTGRES_PORT");
        ports.put(mongoPort, "DEMO_MONGO_PORT");
        ports.put(searchPort, "DEMO_ES_PORT");
        ports.put(registryPort, "DEMO_REGISTRY_PORT");
        for (int i = 0; firstHttpPort != 0 && i < SERVICES; i++) {
            ports.putIfAbsent(firstHttpPort + i, "DEMO_FIRST_HTTP_PORT");
        }
        ports.remove(0);
        return ports;
    }

    /** One line per fixed port that another program holds, naming the setting that moves it. */
    List<String> portsTaken() {
        List<String> taken = new ArrayList<>();
        fixedPorts().forEach((port, key) -> {
            if (!free(port)) {
                taken.add("port " + port + " is in use by another program: stop it, or set " + key + " to a free port");
            }
        });
        return taken;
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            // As the engines bind: connections of an earlier run in TIME_WAIT do not make a port taken, a listener does.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    String describe() {
        return "kafka " + kafkaPort + (kafkaSecurity == KafkaEngine.Security.PLAINTEXT ? "" : " (" + kafkaSecurity + ")")
                + ", postgres " + postgresPort + ", mongodb " + mongoPort + ", " + searchEngine.family().toLowerCase() + " "
                + searchPort + ", schema registry " + registryPort + ", services " + (firstHttpPort == 0 ? "any free ports"
                : firstHttpPort + "-" + (firstHttpPort + SERVICES - 1)) + ", delivery profile " + deliveryProfile;
    }
}
