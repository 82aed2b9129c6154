package io.streamingetl.runtime;

/**
 * What the health endpoints report. A service is live until it failed for good (the orchestrator should
 * restart it) and ready only while it does its work; the reason it is not is shown to whoever asks.
 */
public final class Health {
    private volatile String notReadyReason = "starting";
    private volatile String failure;

    public void ready() {
        notReadyReason = null;
    }

    public void notReady(String reason) {
        notReadyReason = reason;
    }

    public void failed(String reason) {
        failure = reason;
        notReadyReason = "failed: " + reason;
    }

    public boolean live() {
        return failure == null;
    }

    public boolean isReady() {
        return notReadyReason == null;
    }

    /** null when ready. */
    public String notReadyReason() {
        return notReadyReason;
    }
}
