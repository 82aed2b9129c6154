package io.streamingetl.cdc;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingetl.runtime.Health;
import org.junit.jupiter.api.Test;

class CaptureReadinessTest {
    private final Health health = new Health();
    private final CaptureReadiness readiness = new CaptureReadiness(health);

    @Test
    void pollingDuringTheInitialSnapshotIsNotReadyUntilTheSnapshotCompletes() {
        readiness.engineStarting();
        readiness.pollingStarted();

        assertThat(health.isReady()).isFalse();
        assertThat(health.notReadyReason()).isEqualTo(CaptureReadiness.SNAPSHOT_RUNNING);

        readiness.initialSnapshot("COMPLETED");
        assertThat(health.isReady()).isTrue();
    }

    @Test
    void aSnapshotSkippedBeforePollingStartsIsReadyOncePollingStarts() {
        readiness.engineStarting();
        readiness.initialSnapshot("SKIPPED");

        assertThat(health.notReadyReason()).isEqualTo(CaptureReadiness.CONNECTING);

        readiness.pollingStarted();
        assertThat(health.isReady()).isTrue();
    }

    @Test
    void anAbortedSnapshotLeavesCaptureNotReady() {
        readiness.engineStarting();
        readiness.pollingStarted();
        readiness.initialSnapshot("ABORTED");

        assertThat(health.isReady()).isFalse();
    }

    @Test
    void aNewEngineAfterAPauseWaitsForItsOwnSnapshotDecisionAgain() {
        readiness.engineStarting();
        readiness.pollingStarted();
        readiness.initialSnapshot("COMPLETED");
        readiness.pollingStopped();

        readiness.engineStarting();
        readiness.pollingStarted();
        assertThat(health.isReady()).isFalse();

        readiness.initialSnapshot("SKIPPED");
        assertThat(health.isReady()).isTrue();
    }
}
