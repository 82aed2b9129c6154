package io.streamingetl.cdc;

import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.SettingsException;

/**
 * {@code ON_HISTORY_LOST}: what capture does when its source no longer has the changes after the position it stored (a
 * MongoDB resume token older than the oplog, a Postgres replication slot dropped, invalidated or re-created). {@code fail}
 * (the default) stops capture and says so, as a new snapshot cannot bring back a deleted row; {@code resnapshot} takes a
 * new snapshot and streams on from there, through Debezium's own {@code snapshot.mode=when_needed}.
 */
public enum OnHistoryLost {
    FAIL, RESNAPSHOT;

    public static final String SETTING = "ON_HISTORY_LOST";

    public static OnHistoryLost from(Settings settings) {
        String value = settings.string(SETTING, "fail");
        return switch (value) {
            case "fail" -> FAIL;
            case "resnapshot" -> RESNAPSHOT;
            default -> throw new SettingsException(SETTING, "is '" + value + "', must be fail or resnapshot");
        };
    }

    /**
     * Debezium's {@code snapshot.mode} for the service's {@code SNAPSHOT_MODE}: under {@code resnapshot}, {@code initial}
     * becomes {@code when_needed} (the same first snapshot, and a new one when the stored position is gone); the
     * settings that contradict each other are refused, naming the one to change.
     */
    public String snapshotMode(String configured) {
        if (this == RESNAPSHOT && !configured.equals("initial") && !configured.equals("when_needed")) {
            throw new SettingsException(SETTING, "is resnapshot, which takes a new snapshot when the source's history is lost;"
                    + " SNAPSHOT_MODE " + configured + " does not allow one then: set SNAPSHOT_MODE=initial");
        }
        if (this == FAIL && configured.equals("when_needed")) {
            throw new SettingsException(SETTING, "is fail, while SNAPSHOT_MODE when_needed re-snapshots when the source's history"
                    + " is lost: set ON_HISTORY_LOST=resnapshot (and SNAPSHOT_MODE=initial) for that");
        }
        return this == RESNAPSHOT ? "when_needed" : configured;
    }

    /** As the setting is written. */
    @Override
    public String toString() {
        return name().toLowerCase();
    }
}
