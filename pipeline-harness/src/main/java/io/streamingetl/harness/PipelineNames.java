package io.streamingetl.harness;

import io.streamingetl.contract.PipelineService;
import io.streamingetl.contract.ShippedOrderDocument;
import io.streamingetl.contract.Topic;
import io.streamingetl.contract.Topics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything a pipeline names on its engines: its topics (and so its schema subjects and dead-letter topics),
 * application ids and consumer groups, the CDC services' offsets and signal topics, its Postgres database and
 * replication slot, its MongoDB database, its index. {@link #CONTRACT} is the contract's names, which the demo
 * and a deployment use; {@link #prefixed} puts a prefix before each, so that several pipelines run on the same
 * engines without meeting, as the tests run them. Every name is set through the services' own settings.
 */
public record PipelineNames(String prefix) {
    /** The contract's names: no prefix, no setting added. */
    public static final PipelineNames CONTRACT = new PipelineNames("");
    public static final String LOGISTICS_DATABASE = "logistics";

    public PipelineNames {
        if (!prefix.matches("([a-z][a-z0-9]*_)?")) {
            throw new IllegalArgumentException("a prefix is lower-case letters and digits followed by _, not '" + prefix + "'");
        }
    }

    /** Names of their own, {@code <name>_} before each of the contract's: {@code name} is lower-case letters and digits. */
    public static PipelineNames prefixed(String name) {
        return new PipelineNames(name + "_");
    }

    public String topic(Topic<String, ?> topic) {
        return prefix + topic.name();
    }

    /** The pipeline's topics in the order changes flow through them. */
    public List<String> topics() {
        return Topics.ALL.stream().map(this::topic).toList();
    }

    /** A Kafka Streams service's application id, or the sink's consumer group: the service's name by default. */
    public String group(PipelineService service) {
        return prefix + service.serviceName();
    }

    /** The Postgres database holding the {@code customers} table. */
    public String database() {
        return prefix + TutorialLoader.DATABASE;
    }

    /** customers-cdc's replication slot on Postgres. */
    public String slot() {
        return prefix + "customers_cdc";
    }

    /** The MongoDB database holding the {@code orders} and {@code shipments} collections. */
    public String logisticsDatabase() {
        return prefix + LOGISTICS_DATABASE;
    }

    /** The index (the alias) the sink writes. */
    public String index() {
        return prefix + ShippedOrderDocument.INDEX;
    }

    /** The settings that give {@code service} these names (none for {@link #CONTRACT}). */
    public Map<String, String> settingsOf(PipelineService service) {
        Map<String, String> settings = new LinkedHashMap<>();
        if (prefix.isEmpty()) {
            return settings;
        }
        Topics.ALL.forEach(t -> settings.put(t.setting(), topic(t)));
        switch (service) {
            case CUSTOMERS_CDC -> {
                settings.putAll(cdc(service));
                settings.put("POSTGRES_DB", database());
                settings.put("SLOT_NAME", slot());
            }
            case LOGISTICS_CDC -> {
                settings.putAll(cdc(service));
                settings.put("ORDERS_COLLECTION", logisticsDatabase() + ".orders");
                settings.put("SHIPMENTS_COLLECTION", logisticsDatabase() + ".shipments");
                settings.put("SIGNAL_COLLECTION", logisticsDatabase() + ".debezium_signal");
            }
            case ENRICHMENT, SHIPMENT_JOIN -> settings.put("APPLICATION_ID", group(service));
            case ES_SINK -> {
                settings.put("GROUP_ID", group(service));
                settings.put("ES_INDEX", index());
            }
            default -> throw new IllegalArgumentException(service.serviceName());
        }
        return settings;
    }

    private Map<String, String> cdc(PipelineService service) {
        return Map.of("OFFSETS_TOPIC", prefix + service.serviceName() + "-offsets",
                "SIGNAL_TOPIC", prefix + service.serviceName() + "-signals");
    }

    /** The settings that point {@code ./pipeline} (or its live page) at a pipeline of these names. */
    public Map<String, String> cliSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        if (prefix.isEmpty()) {
            return settings;
        }
        Topics.ALL.forEach(t -> settings.put(t.setting(), topic(t)));
        for (PipelineService service : List.of(PipelineService.ENRICHMENT, PipelineService.SHIPMENT_JOIN)) {
            settings.put(service.name() + "_APPLICATION_ID", group(service));
        }
        settings.put("ES_INDEX", index());
        return settings;
    }
}
