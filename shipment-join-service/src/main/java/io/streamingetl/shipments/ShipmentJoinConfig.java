package io.streamingetl.shipments;

import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.Shipment;
import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.Topic;
import io.streamingetl.contract.Topics;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.SettingsException;
import io.streamingetl.runtime.StreamsService;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What the shipment join needs: its topics, how far apart an order's and a shipment's event times may be
 * ({@code JOIN_WINDOW}, 7 days either way), how long after its window a record is still admitted
 * ({@code JOIN_GRACE}, 24 hours), and how long the join waits for new records on an input it has read to
 * its end before moving on with the other ({@code MAX_TASK_IDLE}, Kafka Streams' {@code max.task.idle.ms}).
 *
 * <p>{@code MAX_TASK_IDLE} is 0, Kafka Streams' default: records already on the brokers are still taken in
 * timestamp order across both inputs, but the join does not wait for records not yet written. A wait of 1 s
 * (this service's default until the benchmark's per-hop figures) held a lone order or shipment up to 1 s
 * whenever the other input was momentarily read to its end: the join's hop took 0.5 s p50 and 2 s p99 at
 * 100 changes/s. What the wait guarded against, a join catching up on a backlog spanning more than window
 * plus grace while its repartitioned shipments trail the orders, needs {@code JOIN_GRACE} at the backlog's
 * span anyway (docs/design.md, "Replaying history").
 */
public record ShipmentJoinConfig(Topic<String, EnrichedOrder> enrichedOrders, Topic<String, Shipment> shipments,
                                 Topic<String, ShippedOrder> shippedOrders,
                                 Duration window, Duration grace, Duration maxTaskIdle)
        implements StreamsService.UsesTopics {

    public static ShipmentJoinConfig from(Settings settings) {
        Duration window = settings.duration("JOIN_WINDOW", Duration.ofDays(7));
        Duration grace = settings.duration("JOIN_GRACE", Duration.ofHours(24));
        if (window.isNegative() || window.isZero()) {
            throw new SettingsException("JOIN_WINDOW", "is " + window + ", must be positive");
        }
        if (grace.isNegative()) {
            throw new SettingsException("JOIN_GRACE", "is " + grace + ", must not be negative");
        }
        Duration idle = settings.duration("MAX_TASK_IDLE", Duration.ZERO);
        return new ShipmentJoinConfig(settings.topic(Topics.ENRICHED_ORDERS), settings.topic(Topics.SHIPMENTS),
                settings.topic(Topics.SHIPPED_ORDERS), window, grace, idle);
    }

    @Override
    public List<Topic<String, ?>> topics() {
        return List.of(enrichedOrders, shipments, shippedOrders);
    }

    /** The streams properties this config sets, beyond the ones every service shares. */
    public Map<String, Object> streamsProperties() {
        return Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, maxTaskIdle.toMillis());
    }
}
