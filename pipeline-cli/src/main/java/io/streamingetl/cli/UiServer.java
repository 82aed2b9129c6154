package io.streamingetl.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.streamingetl.runtime.OpsServer;
import io.streamingetl.runtime.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import picocli.CommandLine;

/**
 * The live page's server on the loopback: the page itself ({@code /}, a resource), {@code /api/overview}
 * ({@link PipelineOverview}) and {@code /api/trace?id=} (the {@code trace} command's JSON). Read-only.
 */
public final class UiServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final CliSettings settings;
    private final PipelineOverview overview;

    private UiServer(CliSettings settings, int port) throws IOException {
        this.settings = settings;
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        server.setExecutor(threads);
        this.overview = new PipelineOverview(settings);
        server.createContext("/", exchange -> {
            if (!exchange.getRequestURI().getPath().equals("/")) {
                respond(exchange, 404, "text/plain", "not here: the page is /");
                return;
            }
            try (InputStream page = UiServer.class.getResourceAsStream("/ui/index.html")) {
                respond(exchange, 200, "text/html", new String(page.readAllBytes(), StandardCharsets.UTF_8));
            }
        });
        server.createContext("/api/overview", exchange -> respond(exchange, 200, "application/json", Output.write(overview.now())));
        server.createContext("/api/trace", exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            String id = query == null || !query.startsWith("id=") ? "" : URLDecoder.decode(query.substring(3), StandardCharsets.UTF_8);
            respond(exchange, 200, "application/json", trace(id));
        });
        server.start();
    }

    static UiServer start(CliSettings settings, int port) throws IOException {
        return new UiServer(settings, port);
    }

    /** For tests: the page of the deployment {@code environment} describes (the CLI's settings), on a free port. */
    public static UiServer start(Map<String, String> environment) throws IOException {
        return new UiServer(CliSettings.from(Settings.from(environment)), 0);
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
    }

    /** {@code trace <id> --output json}, as the command prints it. */
    private String trace(String id) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine trace = new CommandLine(new PipelineCli(settings, new PrintWriter(out, true), new PrintWriter(err, true)));
        trace.setExecutionExceptionHandler((e, line, parsed) -> {
            err.write("pipeline: " + e.getMessage());
            return 1;
        });
        int exitCode = trace.execute("trace", id, "--output", "json");
        return exitCode == 0 ? out.toString() : Output.write(Map.of("error", err.toString().strip()));
    }

    private static void respond(HttpExchange exchange, int status, String type, String body) throws IOException {
        OpsServer.respond(exchange, new OpsServer.Answer(status, type, body));
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        overview.close();
    }
}
