package io.streamingetl.runtime;

/**
 * What the health endpoints report. A service is live until it failed for good (the orchestrator should
 * restart it) and ready only while it does its work; the reason it is not is shown to whoever asks.
 */
public final class Health {
    private volatile String notReadyReason = "starting";
    private volatile String failure;
    private volatile String about;

    public void ready() {
        notReadyReason = null;
    }

    /** What the service says of itself while ready ({@code ready: <about>}), such as the engine it writes to. */
    public void about(String text) {
        about = SafeText.of(text);
    }

    /** null when none was said. */
    public String about() {
        return about;
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
