package io.streamingetl.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.streamingetl.runtime.OpsServer;
import io.streamingetl.runtime.SafeText;
import io.streamingetl.runtime.Settings;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The live page's server on the loopback: the page itself ({@code /}, a resource), {@code /api/overview}
 * ({@link PipelineOverview}) and {@code /api/trace?id=} (the {@code trace} command's JSON). Read-only. It answers
 * only requests addressed to {@code 127.0.0.1:<port>} or {@code localhost:<port>} (421 otherwise: a web page whose
 * name was re-pointed at 127.0.0.1, DNS rebinding, cannot read it), and when the CLI has the operator's token
 * ({@code OPS_TOKEN}, or the demo's) its API answers only to it; the page takes it from its URL's fragment, which
 * {@link #url()} carries and no request sends.
 */
public final class UiServer implements AutoCloseable {
    /** A longer id is no order id: refused before anything reads Kafka for it. */
    private static final int MAX_ID_LENGTH = 512;

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2);
    private final CliSettings settings;
    private final PipelineOverview overview;
    private final byte[] token;
    private final Set<String> hosts;

    private UiServer(CliSettings settings, int port) throws IOException {
        this.settings = settings;
        this.token = settings.opsToken().getBytes(StandardCharsets.UTF_8);
        this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
        int bound = server.getAddress().getPort();
        this.hosts = Set.of("127.0.0.1:" + bound, "localhost:" + bound);
        server.setExecutor(threads);
        this.overview = new PipelineOverview(settings);
        server.createContext("/", guarded(false, exchange -> {
            if (!exchange.getRequestURI().getPath().equals("/")) {
                respond(exchange, 404, "text/plain", "not here: the page is /");
                return;
            }
            try (InputStream page = UiServer.class.getResourceAsStream("/ui/index.html")) {
                respond(exchange, 200, "text/html", new String(page.readAllBytes(), StandardCharsets.UTF_8));
            }
        }));
        server.createContext("/api/overview", guarded(true,
                exchange -> respond(exchange, 200, "application/json", Output.write(overview.now()))));
        server.createContext("/api/trace", guarded(true, exchange -> {
            String query = exchange.getRequestURI().getRawQuery();
            String id = query == null || !query.startsWith("id=") ? "" : URLDecoder.decode(query.substring(3), StandardCharsets.UTF_8);
            String refused = refusal(id);
            if (refused != null) {
                respond(exchange, 400, "application/json", Output.write(Map.of("error", refused)));
                return;
            }
            respond(exchange, 200, "application/json", trace(id));
        }));
        server.start();
    }

    static UiServer start(CliSettings settings, int port) throws IOException {
        return new UiServer(settings, port);
    }

    /** For tests: the page of the deployment {@code environment} describes (the CLI's settings), on a free port. */
    public static UiServer start(Map<String, String> environment) throws IOException {
        return new UiServer(CliSettings.from(Settings.from(environment)), 0);
    }

    /** The page's address; with the token in its fragment when the API needs one (a fragment is never sent). */
    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/"
                + (token.length == 0 ? "" : "#token=" + URLEncoder.encode(settings.opsToken(), StandardCharsets.UTF_8));
    }

    /** Refuses a request for another host name (DNS rebinding), and an API request without the token when there is one. */
    private HttpHandler guarded(boolean api, HttpHandler handler) {
        return exchange -> {
            String host = exchange.getRequestHeaders().getFirst("Host");
            if (host == null || !hosts.contains(host.toLowerCase(Locale.ROOT))) {
                respond(exchange, 421, "text/plain", "this page answers only to http://127.0.0.1:" + server.getAddress().getPort()
                        + "/ (the request named the host '" + SafeText.of(String.valueOf(host)) + "')");
            } else if (api && token.length > 0 && !OpsServer.bearerMatches(exchange, token)) {
                respond(exchange, 401, "application/json", Output.write(Map.of("error",
                        "the live page's API needs the operator's token: open the address ./pipeline ui printed")));
            } else {
                handler.handle(exchange);
            }
        };
    }

    /** Why {@code id} is not asked for (null when it is): empty, too long, or with control characters. */
    static String refusal(String id) {
        if (id.isBlank()) {
            return "say which order: /api/trace?id=<order id>";
        }
        if (id.length() > MAX_ID_LENGTH || id.chars().anyMatch(Character::isISOControl)) {
            return "not an order id: at most " + MAX_ID_LENGTH + " characters, no control characters";
        }
        return null;
    }

    /** {@code trace --output json -- <id>}, as the command prints it: the id after {@code --} is data, never an option. */
    private String trace(String id) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exitCode = PipelineCli.commandLine(settings, new PrintWriter(out, true), new PrintWriter(err, true))
                .execute("trace", "--output", "json", "--", id);
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
