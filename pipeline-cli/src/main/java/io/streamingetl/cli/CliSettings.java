package io.streamingetl.cli;

import io.streamingetl.contract.AvroJsonDeserializer;
import io.streamingetl.contract.PipelineService;
import io.streamingetl.contract.Topic;
import io.streamingetl.contract.Topics;
import io.streamingetl.runtime.KafkaConnection;
import io.streamingetl.runtime.OpsSettings;
import io.streamingetl.runtime.SchemaRegistries;
import io.streamingetl.runtime.Settings;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the deployment is, read like the services read it: the {@link KafkaConnection} (bootstrap servers,
 * security), the topic
 * settings ({@code ORDERS_TOPIC}, ...), {@code SCHEMA_REGISTRY_URL} to decode values, and each service's HTTP address ({@link PipelineService#urlSetting()}:
 * {@code CUSTOMERS_CDC_URL}, ..., {@code ES_SINK_URL}) and the operator's token for their operator endpoints
 * ({@code OPS_TOKEN}, or the file {@code OPS_TOKEN_FILE} names; the demo's {@code .demo/ops-token} when neither
 * is set); the defaults are the demo's.
 */
record CliSettings(KafkaConnection kafka, List<Topic<String, ?>> topics, Map<PipelineService, URI> services,
                   String opsToken, AvroJsonDeserializer values) {
    /** Where the demo leaves the operator's token it gave its services, read when OPS_TOKEN is not set. */
    static final Path DEMO_OPS_TOKEN = Path.of(".demo", "ops-token");

    static CliSettings from(Settings settings) {
        Map<PipelineService, URI> services = new EnumMap<>(PipelineService.class);
        for (PipelineService service : PipelineService.values()) {
            services.put(service, settings.uri(service.urlSetting(), "http://127.0.0.1:" + service.defaultHttpPort()));
        }
        if (settings.secret(OpsSettings.OPS_TOKEN, "").isEmpty() && Files.isReadable(DEMO_OPS_TOKEN)) {
            settings = settings.with(OpsSettings.OPS_TOKEN + Settings.FILE_SUFFIX, DEMO_OPS_TOKEN.toString());
        }
        return new CliSettings(KafkaConnection.from(settings),
                Topics.ALL.stream().<Topic<String, ?>>map(settings::topic).toList(), services,
                settings.secret(OpsSettings.OPS_TOKEN, ""), new AvroJsonDeserializer(SchemaRegistries.of(settings)));
    }

    /** The pipeline topic named {@code name} in this deployment. */
    Optional<Topic<String, ?>> topic(String name) {
        return topics.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Every pipeline topic and its dead-letter topic, in the order changes flow. */
    List<String> allTopicNames() {
        return topics.stream().flatMap(t -> List.of(t.name(), t.deadLetters()).stream()).toList();
    }
}
