package io.streamingetl.cli;

import io.streamingetl.runtime.SafeText;
import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.AvroJsonDeserializer;
import io.streamingetl.contract.PipelineService;
import io.streamingetl.contract.ShippedOrderDocument;
import io.streamingetl.contract.Topic;
import io.streamingetl.contract.Topics;
import io.streamingetl.runtime.KafkaConnection;
import io.streamingetl.runtime.OpsSettings;
import io.streamingetl.runtime.SchemaRegistries;
import io.streamingetl.runtime.ServiceRuntime;
import io.streamingetl.runtime.Settings;
import io.streamingetl.search.SearchEngineConfig;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the deployment is, read like the services read it: the {@link KafkaConnection} (bootstrap servers,
 * security), the topic settings ({@code ORDERS_TOPIC}, ...), {@code SCHEMA_REGISTRY_URL} to decode values, each
 * service's HTTP address ({@link PipelineService#urlSetting()}: {@code CUSTOMERS_CDC_URL}, ..., {@code ES_SINK_URL}),
 * the operator's token for their operator endpoints ({@code OPS_TOKEN}, or the file {@code OPS_TOKEN_FILE} names;
 * the demo's {@code .demo/ops-token} when neither is set), the Streams services' application ids
 * ({@code ENRICHMENT_APPLICATION_ID}, {@code SHIPMENT_JOIN_APPLICATION_ID}), and the search engine and index as
 * the sink has them ({@code ES_URL} and its credentials, {@code ES_INDEX}), and the services' {@code CONTROL_TIMEOUT}
 * (a control action is waited for three times as long); the defaults are the demo's.
 */
record CliSettings(KafkaConnection kafka, List<Topic<String, ?>> topics, Map<PipelineService, URI> services,
                   String opsToken, AvroJsonDeserializer values, Map<PipelineService, String> applicationIds,
                   SearchEngineConfig search, String index, Duration controlTimeout) {
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
        Map<PipelineService, String> applicationIds = new EnumMap<>(PipelineService.class);
        for (PipelineService service : List.of(PipelineService.ENRICHMENT, PipelineService.SHIPMENT_JOIN)) {
            applicationIds.put(service, settings.string(service.name() + "_APPLICATION_ID", service.serviceName()));
        }
        return new CliSettings(KafkaConnection.from(settings),
                Topics.ALL.stream().<Topic<String, ?>>map(settings::topic).toList(), services,
                settings.secret(OpsSettings.OPS_TOKEN, ""), new AvroJsonDeserializer(SchemaRegistries.of(settings)),
                applicationIds, SearchEngineConfig.from(settings), settings.string("ES_INDEX", ShippedOrderDocument.INDEX),
                ServiceRuntime.controlTimeout(settings));
    }

    /** The name the contract's {@code topic} has in this deployment (its setting, or the contract's name). */
    String topicName(Topic<String, ?> topic) {
        return topics.get(Topics.ALL.indexOf(topic)).name();
    }

    /** {@code shipped_orders} as this deployment names it, its values read through the registry. */
    @SuppressWarnings("unchecked")
    Topic<String, ShippedOrder> shippedOrders() {
        return (Topic<String, ShippedOrder>) topics.get(Topics.ALL.indexOf(Topics.SHIPPED_ORDERS));
    }

    /** The pipeline topic named {@code name} in this deployment. */
    Optional<Topic<String, ?>> topic(String name) {
        return topics.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Every pipeline topic and its dead-letter topic, in the order changes flow. */
    List<String> allTopicNames() {
        return topics.stream().flatMap(t -> List.of(t.name(), t.deadLetters()).stream()).toList();
    }

    /** The operator's token stays out of anything printed (the Kafka connection and the engine's config mask their own). */
    @Override
    public String toString() {
        return "CliSettings[kafka=" + kafka + ", topics=" + topics.stream().map(Topic::name).toList() + ", services=" + services
                + ", opsToken=" + SafeText.mask(opsToken) + ", applicationIds=" + applicationIds + ", search=" + search
                + ", index=" + index + "]";
    }
}
