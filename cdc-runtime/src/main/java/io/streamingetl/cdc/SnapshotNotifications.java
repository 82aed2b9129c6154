package io.streamingetl.cdc;

import io.debezium.config.CommonConnectorConfig;
import io.debezium.pipeline.notification.Notification;
import io.debezium.pipeline.notification.channels.NotificationChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Debezium's notification channel {@value #NAME} (loaded by its service loader, enabled by
 * {@code notification.enabled.channels}): hands a connector's incremental snapshot notifications to the
 * {@link SnapshotProgress} and its initial snapshot's to the {@link CaptureReadiness} of the capture that runs it,
 * found by the connector's logical name ({@code topic.prefix}).
 */
public final class SnapshotNotifications implements NotificationChannel {
    static final String NAME = "pipeline-snapshot-progress";
    private static final Map<String, Listeners> BY_LOGICAL_NAME = new ConcurrentHashMap<>();

    private Listeners listeners;

    private record Listeners(SnapshotProgress progress, CaptureReadiness readiness) {
    }

    static void register(String logicalName, SnapshotProgress progress, CaptureReadiness readiness) {
        BY_LOGICAL_NAME.put(logicalName, new Listeners(progress, readiness));
    }

    static void unregister(String logicalName, SnapshotProgress progress) {
        BY_LOGICAL_NAME.computeIfPresent(logicalName, (name, registered) -> registered.progress() == progress ? null : registered);
    }

    @Override
    public void init(CommonConnectorConfig config) {
        listeners = BY_LOGICAL_NAME.get(config.getLogicalName());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void send(Notification notification) {
        if (listeners == null) {
            return;
        }
        switch (notification.getAggregateType()) {
            case "Incremental Snapshot" -> listeners.progress().on(notification);
            case "Initial Snapshot" -> listeners.readiness().initialSnapshot(notification.getType());
            default -> {
            }
        }
    }

    @Override
    public void close() {
    }
}
