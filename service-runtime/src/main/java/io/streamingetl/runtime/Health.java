package io.streamingetl.runtime;

/**
 * What the health endpoints report. A service is live until it failed for good (the orchestrator should
 * restart it) and ready only while it does its work; the reason it is not is shown to whoever asks.
 */
public final class Health {
    private volatile String notReadyReason = "starting";
    private volatile String failure;
    private volatile String about;
    private volatile boolean paused;
    private volatile String pausedBy;

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

    /**
     * Paused by an operator: not ready whatever the work's own state, until {@link #resumed}. {@code by} says who
     * asked (a tool left it paused, say), or null.
     */
    public void paused(String by) {
        pausedBy = by == null || by.isBlank() ? null : SafeText.of(by.length() > 200 ? by.substring(0, 200) : by);
        paused = true;
    }

    public void resumed() {
        paused = false;
        pausedBy = null;
    }

    /** Who paused it, as they said; null when not paused or not said. */
    public String pausedBy() {
        return paused ? pausedBy : null;
    }

    public boolean isPaused() {
        return paused;
    }

    public boolean isReady() {
        return notReadyReason == null && !paused;
    }

    /** null when ready. */
    public String notReadyReason() {
        String reason = notReadyReason;
        String by = pausedBy;
        return paused && live() ? "paused by an operator" + (by == null ? "" : " (" + by + ")")
                + " (./pipeline resume resumes it)" : reason;
    }
}
