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

    /** Not ready for {@code reason}, shown as {@link SafeText} makes it: no credentials, no control characters. */
    public void notReady(String reason) {
        notReadyReason = SafeText.of(reason);
    }

    public void failed(String reason) {
        failure = SafeText.of(reason);
        notReadyReason = "failed: " + failure;
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
