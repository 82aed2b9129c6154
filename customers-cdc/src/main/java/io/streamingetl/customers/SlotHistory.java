package io.streamingetl.customers;

import io.streamingetl.cdc.CaptureHistory;
import io.streamingetl.runtime.SafeText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the capture's replication slot still holds the WAL after the stored position. It does not when the slot is
 * missing (dropped, or lost in a failover to a standby that did not have it), invalidated (it kept more WAL than
 * {@code max_slot_wal_keep_size}: {@code wal_status} 'lost'), or begins after the stored position (dropped and created
 * again). Debezium checks the first and the last itself and refuses to start; an invalidated slot it retries for half an
 * hour ("Cannot obtain valid replication slot"), so it is checked here before each start and watched while capture runs
 * ({@link ReplicationSlotMonitor}). For a new snapshot the slot is dropped, so Debezium creates it afresh with the snapshot.
 */
final class SlotHistory implements CaptureHistory {
    private static final Logger LOG = LoggerFactory.getLogger(SlotHistory.class);
    static final String QUERY = "SELECT restart_lsn, to_jsonb(s)->>'wal_status', to_jsonb(s)->>'invalidation_reason'"
            + " FROM pg_replication_slots s WHERE slot_name = ? AND database = current_database()";

    private final CustomersCdcConfig config;
    private volatile Consumer<String> listener = reason -> { };

    SlotHistory(CustomersCdcConfig config) {
        this.config = config;
    }

    /** The slot as {@code pg_replication_slots} has it: its restart LSN, and why it was invalidated (null if it was not). */
    record SlotState(String restartLsn, String invalidation) {
    }

    /** The slot's state, empty when there is no such slot; throws when Postgres cannot be asked. */
    Optional<SlotState> state() throws SQLException {
        try (Connection connection = config.connect(); PreparedStatement query = connection.prepareStatement(QUERY)) {
            query.setString(1, config.slotName());
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                String walStatus = row.getString(2);
                String reason = row.getString(3);
                String invalidation = reason != null ? reason : "lost".equals(walStatus) ? "wal_status lost" : null;
                return Optional.of(new SlotState(row.getString(1), invalidation));
            }
        }
    }

    @Override
    public Optional<String> lostAfter(Map<String, Object> stored) {
        if (stored.containsKey("snapshot") && !Boolean.TRUE.equals(stored.get("snapshot_completed"))
                && !Boolean.TRUE.equals(stored.get("last_snapshot_record"))) {
            return Optional.empty(); // a snapshot that did not end: Debezium takes it again
        }
        try {
            Optional<SlotState> slot = state();
            if (slot.isEmpty()) {
                return Optional.of("replication slot " + config.slotName() + " does not exist on " + config.host() + ":" + config.port()
                        + " (dropped, or lost in a failover to a standby that did not have it: see SLOT_FAILOVER), so the changes"
                        + " after the stored position are gone");
            }
            if (slot.get().invalidation() != null) {
                return Optional.of(invalidated(slot.get().invalidation()));
            }
            long position = stored.get("lsn_proc") instanceof Number n ? n.longValue() : -1;
            long restart = lsn(slot.get().restartLsn());
            if (position >= 0 && restart > position) {
                return Optional.of("replication slot " + config.slotName() + " begins at LSN " + slot.get().restartLsn()
                        + ", after the stored position " + text(position) + ": it was dropped and created again, and the changes"
                        + " in between are gone");
            }
            return Optional.empty();
        } catch (SQLException e) {
            LOG.warn("Cannot read replication slot {} ({}); Debezium checks it as it starts", config.slotName(), SafeText.of(e.getMessage()));
            return Optional.empty();
        }
    }

    String invalidated(String reason) {
        return "replication slot " + config.slotName() + " was invalidated by Postgres (" + reason + ")"
                + (reason.contains("wal") ? ": it kept more WAL than max_slot_wal_keep_size allows, and the WAL after the stored"
                + " position was removed" : "") + ", so the changes after the stored position are gone";
    }

    /** Drops the slot unless it is missing already, so Debezium creates it afresh with the new snapshot's position. */
    @Override
    public void prepareResnapshot() {
        try (Connection connection = config.connect(); PreparedStatement drop = connection.prepareStatement(
                "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ? AND NOT active")) {
            drop.setString(1, config.slotName());
            drop.execute();
            LOG.info("Replication slot {} dropped for the new snapshot; Debezium creates it again", config.slotName());
        } catch (SQLException e) {
            LOG.warn("Cannot drop replication slot {} before the new snapshot ({}); Debezium starts with it as it is",
                    config.slotName(), SafeText.of(e.getMessage()));
        }
    }

    /** Postgres' refusal to stream from an invalidated slot. */
    @Override
    public Optional<String> explains(Throwable failure) {
        String message = failure.getMessage();
        return failure instanceof SQLException && message != null && message.contains("can no longer get changes from replication slot")
                ? Optional.of(invalidated(SafeText.of(message))) : Optional.empty();
    }

    /** A deleted customer is a tombstone of its id: one deleted in the lost history gets one after the new snapshot. */
    @Override
    public List<String> topicsDeletedByTombstone() {
        return List.of(config.topic().name());
    }

    @Override
    public void watch(Consumer<String> lost) {
        listener = lost;
    }

    /** The monitor saw the slot invalidated while capture ran. */
    void invalidatedWhileRunning(String reason) {
        listener.accept(invalidated(reason));
    }

    /** An LSN as Postgres writes it ({@code 16/B374D848}) as the number Debezium stores. */
    static long lsn(String text) {
        if (text == null) {
            return -1;
        }
        int slash = text.indexOf('/');
        return (Long.parseLong(text.substring(0, slash), 16) << 32) | Long.parseLong(text.substring(slash + 1), 16);
    }

    static String text(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }
}
