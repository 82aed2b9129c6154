package io.streamingetl.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Servers this JVM starts as processes of their own must not outlive it, however it ends. */
final class ChildProcesses {
    private ChildProcesses() {
    }

    /**
     * A shell loop, child of this JVM: once this JVM has gone (the loop is re-parented) it sends {@code pid}
     * {@code signal}; it ends by itself when that process stops first. A shutdown hook would miss {@code kill -9}.
     */
    static void stopWhenThisJvmExits(long pid, String signal) {
        String loop = "while kill -0 $1 2>/dev/null && [ \"$(cut -d' ' -f4 /proc/$$/stat)\" = \"$0\" ]; do sleep 1; done;"
                + " kill -" + signal + " $1 2>/dev/null";
        try {
            new ProcessBuilder("sh", "-c", loop, Long.toString(ProcessHandle.current().pid()), Long.toString(pid))
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD)
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot watch process " + pid + ": " + e.getMessage(), e);
        }
    }

    /** Sends {@code pid} {@code signal} (STOP and CONT freeze and thaw a server without losing its state). */
    static void signal(long pid, String signal) {
        try {
            int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
            if (exit != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " exited " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
