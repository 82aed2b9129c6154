package io.streamingetl.shipments;

import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.Shipment;
import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.Topic;
import io.streamingetl.contract.Topics;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.SettingsException;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.streams.StreamsConfig;

/**
 * What the shipment join needs: its topics, how far apart an order's and a shipment's event times may be
 * ({@code JOIN_WINDOW}, 7 days either way), how long after its window a record is still admitted
 * ({@code JOIN_GRACE}, 24 hours), and how long the join waits for an input that has no data yet before
 * moving on with the other ({@code MAX_TASK_IDLE}, 1 s: Kafka Streams' {@code max.task.idle.ms}).
 *
 * <p>The wait matters when the join catches up on a backlog: shipments reach it through a repartition
 * topic, a hop behind the enriched orders, and without waiting it would race through days of orders,
 * stream time would jump, and the shipments arriving after would count as late.
 */
public record ShipmentJoinConfig(Topic<String, EnrichedOrder> enrichedOrders, Topic<String, Shipment> shipments,
                                 Topic<String, ShippedOrder> shippedOrders,
                                 Duration window, Duration grace, Duration maxTaskIdle) {

    public static ShipmentJoinConfig from(Settings settings) {
        Duration window = settings.duration("JOIN_WINDOW", Duration.ofDays(7));
        Duration grace = settings.duration("JOIN_GRACE", Duration.ofHours(24));
        if (window.isNegative() || window.isZero()) {
            throw new SettingsException("JOIN_WINDOW", "is " + window + ", must be positive");
        }
        if (grace.isNegative()) {
            throw new SettingsException("JOIN_GRACE", "is " + grace + ", must not be negative");
        }
        Duration idle = settings.duration("MAX_TASK_IDLE", Duration.ofSeconds(1));
        return new ShipmentJoinConfig(settings.topic(Topics.ENRICHED_ORDERS), settings.topic(Topics.SHIPMENTS),
                settings.topic(Topics.SHIPPED_ORDERS), window, grace, idle);
    }

    /** The streams properties this config sets, beyond the ones every service shares. */
    public Map<String, Object> streamsProperties() {
        return Map.of(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, maxTaskIdle.toMillis());
    }
}
