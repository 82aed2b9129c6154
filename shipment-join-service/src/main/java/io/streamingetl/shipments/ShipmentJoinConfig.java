package io.streamingetl.shipments;

import io.streamingetl.runtime.PipelineTopics;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.SettingsException;
import java.time.Duration;
import java.util.Map;

/**
 * What the shipment join needs: its topics, how far apart an order's and a shipment's event times may be
 * ({@code JOIN_WINDOW}, 7 days either way) and how long after its window a record is still admitted
 * ({@code JOIN_GRACE}, 24 hours).
 */
public record ShipmentJoinConfig(String enrichedOrdersTopic, String shipmentsTopic, String shippedOrdersTopic,
                                 Duration window, Duration grace) {

    public static ShipmentJoinConfig from(Settings settings) {
        PipelineTopics topics = PipelineTopics.from(settings);
        Duration window = settings.duration("JOIN_WINDOW", Duration.ofDays(7));
        Duration grace = settings.duration("JOIN_GRACE", Duration.ofHours(24));
        if (window.isNegative() || window.isZero()) {
            throw new SettingsException("JOIN_WINDOW", "is " + window + ", must be positive");
        }
        if (grace.isNegative()) {
            throw new SettingsException("JOIN_GRACE", "is " + grace + ", must not be negative");
        }
        return new ShipmentJoinConfig(topics.enrichedOrders(), topics.shipments(), topics.shippedOrders(), window, grace);
    }

    public static ShipmentJoinConfig defaults() {
        return from(new Settings(Map.of()));
    }
}
