package io.streamingetl.cli;

import io.streamingetl.cli.PipelineCli.CliException;
import io.streamingetl.contract.PipelineService;
import java.io.PrintWriter;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * The live sink held still while a tool swaps its index: paused with who asked ({@code paused_by} on its
 * {@code /status}), and resumed on every way out, Ctrl-C included (a shutdown hook), whether or not the pause was
 * answered in time: a pause still under way when the CLI gave up takes effect later, and the resume then waits for
 * it. A sink an operator had paused before is left as it was.
 */
final class SinkHold implements AutoCloseable {
    private static final PipelineService SINK = PipelineService.ES_SINK;

    private final CliSettings settings;
    private final PrintWriter err;
    private final Thread resumeOnExit;
    private boolean asked;
    private boolean paused;
    private boolean released;

    private SinkHold(CliSettings settings, PrintWriter err) {
        this.settings = settings;
        this.err = err;
        this.resumeOnExit = new Thread(this::resumeOnce, "resume-es-sink-service");
    }

    /** Pauses the live sink, saying what happened; {@link #paused()} tells whether it answered that it is. */
    static SinkHold pause(CliSettings settings, PrintWriter err, String tool) {
        SinkHold hold = new SinkHold(settings, err);
        Map<String, Object> before = StatusCommand.statusOf(SINK, settings.services().get(SINK));
        if (Boolean.TRUE.equals(before.get("paused"))) {
            err.println(SINK.serviceName() + " is paused already (" + before.get("paused_by") + "): left so, not resumed"
                    + " by " + tool);
            hold.paused = true;
            hold.released = true;
            return hold;
        }
        // Registered before asking: a Ctrl-C while the pause is under way must resume it too.
        Runtime.getRuntime().addShutdownHook(hold.resumeOnExit);
        hold.asked = true;
        try {
            HttpResponse<String> answer = Http.control(SINK, settings, "pause", ControlCommand.asker(tool));
            hold.paused = answer.statusCode() == 200;
            err.println(hold.paused ? SINK.serviceName() + " paused for the swap" : SINK.serviceName() + " did not pause ("
                    + answer.statusCode() + ": " + ControlCommand.errorOf(answer.body()) + "): the rebuild catches up after the swap");
        } catch (CliException e) {
            err.println(e.getMessage() + ": going on as if it were not paused; the rebuild catches up after the swap");
        }
        return hold;
    }

    /** What runs when the JVM exits (Ctrl-C) before {@link #close}: one resume. */
    Thread exitHook() {
        return resumeOnExit;
    }

    /** The sink answered that it is paused (by this tool or before it). */
    boolean paused() {
        return paused;
    }

    /**
     * Resumes the sink if a pause was asked, answered or not; asks again until the control wait is over, and says so when
     * it may still be paused.
     */
    @Override
    public void close() {
        if (asked) {
            try {
                Runtime.getRuntime().removeShutdownHook(resumeOnExit);
            } catch (IllegalStateException e) {
                return; // the JVM is shutting down: the hook resumes it
            }
        }
        if (released || !asked) {
            return;
        }
        long deadline = System.nanoTime() + Http.controlWait(settings).toNanos();
        String last = null;
        while (true) {
            last = resumeOnce();
            if (last == null) {
                err.println(SINK.serviceName() + " resumed");
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new CliException(SINK.serviceName() + " may still be paused by this command (" + last + "): run"
                        + " ./pipeline resume " + SINK.serviceName());
            }
            sleep(Duration.ofSeconds(1));
        }
    }

    /** One resume; null when the sink answered it, else why not. */
    private synchronized String resumeOnce() {
        if (released || !asked) {
            return null;
        }
        try {
            HttpResponse<String> answer = Http.control(SINK, settings, "resume", null);
            if (answer.statusCode() == 200) {
                released = true;
                return null;
            }
            return answer.statusCode() + ": " + ControlCommand.errorOf(answer.body());
        } catch (CliException e) {
            return e.getMessage();
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted while resuming " + SINK.serviceName() + ": run ./pipeline resume "
                    + SINK.serviceName());
        }
    }
}
