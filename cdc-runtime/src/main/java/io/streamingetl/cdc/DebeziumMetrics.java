package io.streamingetl.cdc;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.Map;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;

/**
 * Debezium's own connector metrics (its JMX MBeans, {@code debezium.<connector>:type=connector-metrics,context=...})
 * on {@code /metrics}: how far capture is behind the source, whether it is connected, and a snapshot's progress.
 * Read at each scrape from whichever engine runs now, so a paused or restarted capture reports truly (NaN while
 * no engine runs).
 */
final class DebeziumMetrics implements MeterBinder {
    private static final MBeanServer JMX = ManagementFactory.getPlatformMBeanServer();

    @Override
    public void bindTo(MeterRegistry registry) {
        gauge(registry, "pipeline_cdc_milliseconds_behind_source", "streaming", "MilliSecondsBehindSource",
                "From a change's commit in the source to capture reading it (Debezium's MilliSecondsBehindSource)",
                v -> v instanceof Number n && n.longValue() >= 0 ? n.doubleValue() : Double.NaN);
        gauge(registry, "pipeline_cdc_connected", "streaming", "Connected", "1 while capture is connected to the source",
                DebeziumMetrics::flag);
        gauge(registry, "pipeline_cdc_events_seen", "streaming", "TotalNumberOfEventsSeen",
                "Changes Debezium has seen since the engine started", DebeziumMetrics::number);
        gauge(registry, "pipeline_cdc_snapshot_running", "snapshot", "SnapshotRunning", "1 while a snapshot runs",
                DebeziumMetrics::flag);
        gauge(registry, "pipeline_cdc_snapshot_completed", "snapshot", "SnapshotCompleted", "1 once the last snapshot completed",
                DebeziumMetrics::flag);
        gauge(registry, "pipeline_cdc_snapshot_rows_scanned", "snapshot", "RowsScanned",
                "Rows (documents) the snapshot has read, over its tables (collections)",
                DebeziumMetrics::sumOfRows);
        gauge(registry, "pipeline_cdc_snapshot_tables_total", "snapshot", "TotalTableCount",
                "Tables (collections) the snapshot reads", DebeziumMetrics::number);
        gauge(registry, "pipeline_cdc_snapshot_tables_remaining", "snapshot", "RemainingTableCount",
                "Tables (collections) the snapshot has still to read", DebeziumMetrics::number);
    }

    private static void gauge(MeterRegistry registry, String name, String context, String attribute, String description,
                              ToDoubleFunction<Object> value) {
        Gauge.builder(name, () -> value.applyAsDouble(read(context, attribute))).description(description).register(registry);
    }

    /** The attribute of the connector's MBean of {@code context}; null while there is none (no engine running). */
    static Object read(String context, String attribute) {
        try {
            Set<ObjectName> names = JMX.queryNames(new ObjectName("debezium.*:type=connector-metrics,context=" + context + ",*"), null);
            for (ObjectName name : names) {
                return JMX.getAttribute(name, attribute);
            }
        } catch (JMException | RuntimeException e) {
            // An MBean going away between the query and the read: no value this scrape.
        }
        return null;
    }

    private static double sumOfRows(Object value) {
        return sumOfRows(value, null);
    }

    /**
     * RowsScanned: a map of table to rows, which JMX hands over as tabular data of (key, value) rows; summed over
     * the tables, or of {@code table} alone (0 when it has none yet). NaN when there is no such attribute.
     */
    static double sumOfRows(Object value, String table) {
        Collection<?> rows = value instanceof TabularData data ? data.values() : value instanceof Map<?, ?> map ? map.entrySet() : null;
        if (rows == null) {
            return table == null ? Double.NaN : 0;
        }
        double sum = 0;
        for (Object row : rows) {
            Object key = row instanceof CompositeData data ? data.get("key") : ((Map.Entry<?, ?>) row).getKey();
            Object rowsOfTable = row instanceof CompositeData data ? data.get("value") : ((Map.Entry<?, ?>) row).getValue();
            if (table == null || table.equals(String.valueOf(key))) {
                sum += number(rowsOfTable);
            }
        }
        return sum;
    }

    private static double flag(Object value) {
        return value instanceof Boolean b ? (b ? 1 : 0) : Double.NaN;
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : Double.NaN;
    }
}
