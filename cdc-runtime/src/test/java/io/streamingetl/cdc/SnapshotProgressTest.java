package io.streamingetl.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.debezium.pipeline.notification.Notification;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A re-snapshot's request that Debezium never acts on is failed after the request timeout, and the next one accepted. */
class SnapshotProgressTest {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");
    private final SnapshotProgress progress = new SnapshotProgress(Duration.ofMinutes(2), new Clock() {
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        public Instant instant() {
            return now;
        }
    });

    private static Notification notification(String type) {
        return new Notification("n", "Incremental Snapshot", type, Map.of(), null);
    }

    @Test
    void aRequestNotAcknowledgedWithinTheTimeoutIsFailedSayingWhyAndNoLongerRunning() {
        progress.requested("s1", List.of("logistics.orders"), 3);
        now = now.plusSeconds(119);
        assertThat(progress.running()).isTrue();

        now = now.plusSeconds(2);

        assertThat(progress.running()).isFalse();
        assertThat(progress.status()).containsEntry("state", "failed");
        assertThat((String) progress.status().get("error")).startsWith("Debezium did not acknowledge the snapshot signal within"
                + " 120000 ms (SNAPSHOT_REQUEST_TIMEOUT)");
    }

    @Test
    void anAcknowledgedRequestRunsOnPastTheTimeoutUntilItCompletes() {
        progress.requested("s1", List.of("logistics.orders"), 3);
        progress.on(notification("STARTED"));
        now = now.plusSeconds(600);

        assertThat(progress.running()).isTrue();
        progress.on(notification("COMPLETED"));
        assertThat(progress.status()).containsEntry("state", "completed").containsEntry("error", null);
    }

    @Test
    void aLateEndOfARequestGivenUpOnLeavesItFailed() {
        progress.requested("s1", List.of("logistics.orders"), 3);
        now = now.plusSeconds(121);

        progress.on(notification("ABORTED"));

        assertThat(progress.status()).containsEntry("state", "failed");
    }
}
