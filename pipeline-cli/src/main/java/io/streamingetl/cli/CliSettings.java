package io.streamingetl.cli;

import io.streamingetl.contract.Topic;
import io.streamingetl.contract.Topics;
import io.streamingetl.runtime.KafkaSettings;
import io.streamingetl.runtime.Settings;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the deployment is, read like the services read it: {@code KAFKA_BOOTSTRAP_SERVERS}, the topic
 * settings ({@code ORDERS_TOPIC}, ...), and each service's HTTP address ({@code CUSTOMERS_CDC_URL}, ...,
 * {@code ES_SINK_URL}); the defaults are the demo's.
 */
record CliSettings(String bootstrapServers, List<Topic<String, ?>> topics, Map<String, URI> services) {
    /** Each service's HTTP address setting and the demo's address. */
    private static final Map<String, String> SERVICES = servicesInOrder();

    static CliSettings from(Settings settings) {
        Map<String, URI> services = new LinkedHashMap<>();
        SERVICES.forEach((service, url) -> services.put(service, settings.uri(urlSetting(service), url)));
        return new CliSettings(KafkaSettings.bootstrapServers(settings),
                Topics.ALL.stream().<Topic<String, ?>>map(settings::topic).toList(), services);
    }

    private static Map<String, String> servicesInOrder() {
        Map<String, String> services = new LinkedHashMap<>();
        List<String> names = List.of("customers-cdc", "logistics-cdc", "enrichment-service", "shipment-join-service",
                "es-sink-service");
        for (int i = 0; i < names.size(); i++) {
            services.put(names.get(i), "http://127.0.0.1:" + (8081 + i));
        }
        return services;
    }

    /** The setting that gives {@code service}'s address. */
    static String urlSetting(String service) {
        return service.toUpperCase().replace('-', '_').replace("_SERVICE", "") + "_URL";
    }

    /** The pipeline topic named {@code name} in this deployment. */
    Optional<Topic<String, ?>> topic(String name) {
        return topics.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    /** Every pipeline topic and its dead-letter topic, in the order changes flow. */
    List<String> allTopicNames() {
        return topics.stream().flatMap(t -> List.of(t.name(), t.deadLetters()).stream()).toList();
    }

    URI enrichment() {
        return services.get("enrichment-service");
    }
}
