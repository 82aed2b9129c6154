package io.streamingetl.cli;

import java.io.PrintWriter;
import java.time.Duration;

/**
 * Long work shown on one terminal line, redrawn in place: records done of the total, the rate, and the time
 * left at that rate ({@code [#####.....] 1,200 / 4,000 records, 350/s, 8 s left}).
 */
final class ProgressBar {
    private static final int WIDTH = 30;

    private final PrintWriter out;
    private final String what;
    private final long startNanos = System.nanoTime();
    private int lastLength;

    ProgressBar(PrintWriter out, String what) {
        this.out = out;
        this.what = what;
    }

    /** Redraws the line; {@code total} below 0 when unknown. */
    void show(long done, long total, String note) {
        double seconds = Math.max(0.001, (System.nanoTime() - startNanos) / 1e9);
        double rate = done / seconds;
        StringBuilder line = new StringBuilder();
        if (total > 0) {
            int filled = (int) Math.min(WIDTH, WIDTH * done / total);
            line.append('[').append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ");
            line.append(String.format("%,d / %,d %s, %,.0f/s", done, total, what, rate));
            if (rate > 0 && done < total) {
                line.append(", ").append(humanize(Duration.ofSeconds((long) ((total - done) / rate)))).append(" left");
            }
        } else {
            line.append(String.format("%,d %s, %,.0f/s", done, what, rate));
        }
        if (note != null && !note.isEmpty()) {
            line.append(" (").append(note).append(')');
        }
        String text = line.toString();
        out.print("\r" + text + " ".repeat(Math.max(0, lastLength - text.length())));
        out.flush();
        lastLength = text.length();
    }

    /** Ends the line, leaving the last state on screen. */
    void done() {
        out.println();
    }

    static String humanize(Duration duration) {
        long seconds = duration.toSeconds();
        return seconds < 120 ? seconds + " s" : seconds < 7200 ? seconds / 60 + " min" : seconds / 3600 + " h";
    }
}
