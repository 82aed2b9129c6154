package io.streamingetl.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.streams.processor.StandbyUpdateListener.SuspendReason;
import org.apache.kafka.streams.processor.TaskId;
import org.junit.jupiter.api.Test;

/** What readiness, /status and /metrics say of a restoration and of standbys, from Kafka Streams' listener calls. */
class RestoreProgressTest {
    private static final TopicPartition P0 = new TopicPartition("join-shipment-join-this-join-store-changelog", 0);
    private static final TopicPartition P1 = new TopicPartition("join-shipment-join-this-join-store-changelog", 1);
    private static final String STORE = "shipment-join-this-join-store";

    private final AtomicInteger changes = new AtomicInteger();
    private final RestoreProgress progress = new RestoreProgress(changes::incrementAndGet);
    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Test
    void aRestorationIsCountedPerStoreUntilEveryPartitionIsDone() {
        progress.bindTo(registry);
        progress.onRestoreStart(P0, STORE, 0, 1000);
        progress.onRestoreStart(P1, STORE, 500, 1500);
        progress.onBatchRestored(P0, STORE, 400, 400);
        progress.onBatchRestored(P1, STORE, 700, 200);

        assertThat(progress.restoring()).isTrue();
        assertThat(progress.summary()).isEqualTo("restoring " + STORE + " 600 of 2,000 records (2 of 2 partitions left)");
        assertThat(restoration()).containsEntry("records_restored", 600L).containsEntry("records_to_restore", 2000L)
                .containsEntry("partitions_done", 0L).containsEntry("done", false);
        assertThat(metric("pipeline_streams_restored_records")).isEqualTo(600);
        assertThat(metric("pipeline_streams_restoring_partitions")).isEqualTo(2);

        progress.onRestoreEnd(P0, STORE, 990);
        progress.onBatchRestored(P1, STORE, 1500, 790);
        progress.onRestoreEnd(P1, STORE, 990);

        assertThat(progress.restoring()).isFalse();
        assertThat(progress.summary()).isEmpty();
        // Done, the offsets read are what was restored: the rest were transaction markers.
        assertThat(restoration()).containsEntry("records_restored", 1980L).containsEntry("records_to_restore", 1980L)
                .containsEntry("partitions_done", 2L).containsEntry("done", true);
        assertThat(metric("pipeline_streams_restoring_partitions")).isZero();
        assertThat(changes.get()).as("each start and end said").isEqualTo(4);

        progress.onRestoreStart(P1, STORE, 1500, 1600);
        assertThat(restoration()).as("a new restoration, the last one's partitions forgotten").containsEntry("records_to_restore", 100L)
                .containsEntry("partitions", 1).containsEntry("done", false);
    }

    @Test
    void aTaskMovedAwayWhileRestoringLeavesNothingToWaitFor() {
        progress.onRestoreStart(P0, STORE, 0, 1000);
        progress.onRestoreSuspended(P0, STORE, 10);

        assertThat(progress.restoring()).isFalse();
        assertThat(progress.status()).isEmpty();
    }

    @Test
    void aStandbySaysHowFarBehindItsChangelogItIsUntilPromoted() {
        progress.bindTo(registry);
        progress.onUpdateStart(P0, STORE, 0);
        progress.onUpdateStart(P1, STORE, 0);
        progress.onBatchLoaded(P0, STORE, new TaskId(0, 0), 800, 800, 1000);

        assertThat(progress.status()).containsEntry(STORE, Map.of("standby", Map.of("partitions", 2, "partitions_caught_up", 0L,
                "records_behind", 200L)));
        progress.onBatchLoaded(P0, STORE, new TaskId(0, 0), 1000, 200, 1000);
        progress.onBatchLoaded(P1, STORE, new TaskId(0, 1), 50, 50, 50);
        assertThat(progress.status()).containsEntry(STORE, Map.of("standby", Map.of("partitions", 2, "partitions_caught_up", 2L,
                "records_behind", 0L)));
        progress.onBatchLoaded(P0, STORE, new TaskId(0, 0), 1000, 0, 1200);
        assertThat(metric("pipeline_streams_standby_records_behind")).isEqualTo(200);

        progress.onUpdateSuspended(P0, STORE, 1000, 1000, SuspendReason.PROMOTED);
        progress.onUpdateSuspended(P1, STORE, 50, 50, SuspendReason.MIGRATED);
        progress.onRestoreStart(P0, STORE, 1000, 1010);

        assertThat(restoration()).containsEntry("records_to_restore", 10L);
        assertThat(metric("pipeline_streams_standby_records_behind")).isZero();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> restoration() {
        return (Map<String, Object>) ((Map<String, Object>) progress.status().get(STORE)).get("restoration");
    }

    private double metric(String name) {
        return PrometheusText.max(registry.scrape(), name, Map.of("store", STORE)).orElse(Double.NaN);
    }
}
