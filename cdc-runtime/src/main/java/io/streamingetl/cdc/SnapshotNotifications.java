package io.streamingetl.cdc;

import io.debezium.config.CommonConnectorConfig;
import io.debezium.pipeline.notification.Notification;
import io.debezium.pipeline.notification.channels.NotificationChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Debezium's notification channel {@value #NAME} (loaded by its service loader, enabled by
 * {@code notification.enabled.channels}): hands the incremental snapshot notifications of a connector to the
 * {@link SnapshotProgress} of the capture that runs it, found by the connector's logical name ({@code topic.prefix}).
 */
public final class SnapshotNotifications implements NotificationChannel {
    static final String NAME = "pipeline-snapshot-progress";
    private static final Map<String, SnapshotProgress> BY_LOGICAL_NAME = new ConcurrentHashMap<>();

    private SnapshotProgress progress;

    static void register(String logicalName, SnapshotProgress progress) {
        BY_LOGICAL_NAME.put(logicalName, progress);
    }

    static void unregister(String logicalName, SnapshotProgress progress) {
        BY_LOGICAL_NAME.remove(logicalName, progress);
    }

    @Override
    public void init(CommonConnectorConfig config) {
        progress = BY_LOGICAL_NAME.get(config.getLogicalName());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void send(Notification notification) {
        if (progress != null && "Incremental Snapshot".equals(notification.getAggregateType())) {
            progress.on(notification);
        }
    }

    @Override
    public void close() {
    }
}
