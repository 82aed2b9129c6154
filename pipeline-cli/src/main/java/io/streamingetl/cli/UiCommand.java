package io.streamingetl.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code ./pipeline ui}: one read-only live page (plain HTML and JavaScript, no build step) served on the loopback:
 * the pipeline as a diagram with live counts, lag, freshness and dead letters, each Streams service's topology, and a
 * box that runs {@code trace}. It reads what the other commands read ({@link PipelineOverview}); it changes nothing.
 */
@Command(name = "ui", description = "Serve one read-only live page of the pipeline on http://127.0.0.1:<port>/ until Ctrl-C:"
        + " sources, topics, services and the index with live counts, lag, freshness and dead letters; each Streams"
        + " service's topology; a box that traces an order.")
final class UiCommand implements Callable<Integer> {
    @ParentCommand
    private PipelineCli cli;

    @Option(names = "--port", paramLabel = "N", description = "the port on 127.0.0.1 (8090)")
    private int port = 8090;

    @Override
    public Integer call() throws Exception {
        try (UiServer server = UiServer.start(cli.settings(), port)) {
            cli.out().println("live page on " + server.url() + " (read-only; Ctrl-C stops it)");
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown));
            stopped.await();
        }
        return 0;
    }
}
