package io.streamingetl.cdc;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last time capture's source was found to have lost the changes after the stored position, why, and what capture
 * did ({@link OnHistoryLost}): stopped, saying so until an operator acts, or took a new snapshot. Metrics:
 * {@code pipeline_cdc_history_lost} (1 while capture is stopped for it) and
 * {@code pipeline_cdc_history_lost_timestamp_seconds} (when it was last found, 0 for never), which the alerts
 * {@code PipelineCaptureHistoryLost} and {@code PipelineCaptureResnapshotted} read.
 */
final class HistoryLoss {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryLoss.class);

    private final String service;
    private final OnHistoryLost policy;
    private volatile String reason;
    private volatile Instant at;
    private volatile boolean stopped;

    HistoryLoss(String service, OnHistoryLost policy) {
        this.service = service;
        this.policy = policy;
    }

    void bindTo(MeterRegistry registry) {
        Gauge.builder("pipeline_cdc_history_lost", this, h -> h.stopped ? 1 : 0)
                .description("1 while capture is stopped because its source no longer has the changes after its stored position"
                        + " (ON_HISTORY_LOST=fail)").register(registry);
        Gauge.builder("pipeline_cdc_history_lost_timestamp_seconds", this, h -> h.at == null ? 0 : h.at.getEpochSecond())
                .description("When capture last found its source had lost the changes after its stored position (0: never)")
                .register(registry);
    }

    OnHistoryLost policy() {
        return policy;
    }

    /** The source has lost the history: capture stops for it (fail) or takes a new snapshot (resnapshot). */
    synchronized void found(String why) {
        reason = why;
        at = Instant.now();
        stopped = policy == OnHistoryLost.FAIL;
        if (stopped) {
            LOG.error("{}: {}", service, readiness());
        } else {
            LOG.warn("{}: {}; taking a new snapshot (ON_HISTORY_LOST=resnapshot): every row is captured again at its current"
                    + " state, and what was deleted in the lost history is not seen", service, why);
        }
    }

    boolean stopped() {
        return stopped;
    }

    /** What readiness says while capture is stopped for it: what happened and the two ways on. */
    String readiness() {
        return "capture stopped: " + reason + ". Nothing after the stored position can be captured any more; to take a new"
                + " snapshot and stream on, set ON_HISTORY_LOST=resnapshot and restart (docs/operations.md, History lost)";
    }

    /** What readiness adds while the new snapshot runs. */
    String snapshotNote() {
        return at == null || policy != OnHistoryLost.RESNAPSHOT ? null
                : "a new one: the source's history was lost (" + reason + "), ON_HISTORY_LOST=resnapshot";
    }

    /** For /status: null when never found in this process. */
    Map<String, Object> status() {
        if (at == null) {
            return null;
        }
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("at", at.toString());
        status.put("reason", reason);
        status.put("on_history_lost", policy.toString());
        status.put("capture", stopped ? "stopped" : "resnapshot");
        return status;
    }
}
