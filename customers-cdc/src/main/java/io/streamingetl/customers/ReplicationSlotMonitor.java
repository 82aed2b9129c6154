package io.streamingetl.customers;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamingetl.cdc.ChangeCapture;
import io.streamingetl.runtime.SafeText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How much WAL the primary keeps for the capture's replication slot ({@code pg_replication_slots}): it grows while
 * capture is paused, stopped or behind, and a full disk stops the primary. Asked every {@code WAL_CHECK_INTERVAL} on
 * a connection of its own, as {@code pipeline_cdc_wal_retained_bytes}, beside the limit an alert compares it with
 * ({@code pipeline_cdc_wal_retained_bytes_limit}, {@code WAL_RETAINED_ALERT_BYTES}). The same reading tells when Postgres
 * invalidated the slot ({@code max_slot_wal_keep_size} exceeded), which {@link SlotHistory} is told once.
 */
final class ReplicationSlotMonitor implements ChangeCapture.SourceMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicationSlotMonitor.class);
    private static final String QUERY = "SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), restart_lsn), to_jsonb(s)->>'wal_status',"
            + " to_jsonb(s)->>'invalidation_reason' FROM pg_replication_slots s WHERE slot_name = ?";

    private final CustomersCdcConfig config;
    private final SlotHistory history;
    private boolean invalidationSaid;
    private final AtomicLong retained = new AtomicLong(-1);
    private final ScheduledExecutorService schedule = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "wal-retained");
        thread.setDaemon(true);
        return thread;
    });
    private boolean warned;

    ReplicationSlotMonitor(CustomersCdcConfig config, SlotHistory history) {
        this.config = config;
        this.history = history;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        Gauge.builder("pipeline_cdc_wal_retained_bytes", retained, r -> r.get() < 0 ? Double.NaN : r.get())
                .description("WAL the primary retains for the capture's replication slot").tag("slot", config.slotName())
                .register(registry);
        Gauge.builder("pipeline_cdc_wal_retained_bytes_limit", () -> config.walRetainedAlertBytes())
                .description("Retained WAL above which PipelineWalRetainedHigh fires (WAL_RETAINED_ALERT_BYTES)")
                .tag("slot", config.slotName()).register(registry);
        long every = config.walCheckInterval().toMillis();
        schedule.scheduleWithFixedDelay(this::check, 0, every, TimeUnit.MILLISECONDS);
    }

    private void check() {
        try (Connection connection = config.connect();
             PreparedStatement query = connection.prepareStatement(QUERY)) {
            query.setString(1, config.slotName());
            String invalidation = null;
            try (ResultSet row = query.executeQuery()) {
                if (row.next()) {
                    long bytes = row.getLong(1);
                    retained.set(row.wasNull() ? -1 : bytes);
                    invalidation = row.getString(3) != null ? row.getString(3) : "lost".equals(row.getString(2)) ? "wal_status lost" : null;
                } else {
                    retained.set(-1);
                }
            }
            if (invalidation != null && !invalidationSaid) {
                history.invalidatedWhileRunning(invalidation);
            }
            invalidationSaid = invalidation != null;
            warned = false;
        } catch (SQLException e) {
            retained.set(-1);
            if (!warned) {
                LOG.warn("Cannot read the retained WAL of slot {}: {}", config.slotName(), SafeText.of(e.getMessage()));
                warned = true;
            }
        }
    }

    /** For tests and the log: the last reading, -1 when unknown. */
    long retainedBytes() {
        return retained.get();
    }

    @Override
    public void close() {
        schedule.shutdownNow();
    }
}
