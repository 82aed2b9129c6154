package io.streamingetl.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Health and metrics over HTTP, as Kubernetes probes and Prometheus expect them: {@code /health/live} (200
 * while the process should keep running), {@code /health/ready} (200 while it does its work; 503 otherwise,
 * with the reason) and {@code /metrics} (Prometheus text format), open to every GET; and what a service adds:
 * open routes ({@link #route}) and operator routes ({@link #operatorRoute}), which answer only to
 * {@code Authorization: Bearer <OPS_TOKEN>} and are off while no token is set. A fixed pool of threads serves
 * it, and a request not read whole within the read timeout is dropped ({@link OpsSettings}).
 */
public final class OpsServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // The JDK server's own clock for dropping slow requests: read once per JVM, so set before the first server.
        System.setProperty("sun.net.httpserver.timerMillis", System.getProperty("sun.net.httpserver.timerMillis", "250"));
        // The server writes a response's headers and body apart: with Nagle on, a kept-alive client waited for the
        // delayed ACK, 40 ms per request (JDK-6968351).
        System.setProperty("sun.net.httpserver.nodelay", System.getProperty("sun.net.httpserver.nodelay", "true"));
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final byte[] token;
    /** The route of each path: a service restarted in place serves its paths again, with its new routes. */
    private final Map<String, HttpHandler> routes = new ConcurrentHashMap<>();

    /** An answer to a request. */
    public record Answer(int status, String contentType, String body) {
        public static Answer json(int status, Object value) {
            try {
                return new Answer(status, "application/json", value instanceof String s ? s : JSON.writeValueAsString(value));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        public static Answer error(int status, String message) {
            return json(status, Map.of("error", message));
        }
    }

    /** A request below a route's path: its method, the rest of the path, and its query string (or null). */
    public record Request(String method, String rest, String query) {
    }

    /** Answers a request below its path. */
    @FunctionalInterface
    public interface Route {
        Answer answer(Request request) throws Exception;
    }

    public OpsServer(OpsSettings settings, Health health, PrometheusMeterRegistry metrics) {
        // Read once per JVM by the JDK server: the first server's timeout is every server's.
        System.setProperty("sun.net.httpserver.maxReqTime", System.getProperty("sun.net.httpserver.maxReqTime",
                Long.toString(settings.readTimeout().toSeconds())));
        try {
            server = HttpServer.create(new InetSocketAddress(settings.bindAddress(), settings.port()), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on " + settings.bindAddress().getHostAddress() + ":" + settings.port()
                    + " (settings OPS_BIND_ADDRESS, HTTP_PORT): " + e.getMessage() + "; choose a free port", e);
        }
        this.token = settings.token().getBytes(StandardCharsets.UTF_8);
        // Probes are answered while a scrape or a pull query takes its time: a few threads, not one for all.
        AtomicInteger count = new AtomicInteger();
        threads = Executors.newFixedThreadPool(settings.threads(), r -> {
            Thread t = new Thread(r, "ops-http-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(threads);
        route("/health/live", request -> text(health.live() ? 200 : 503, health.live() ? "live" : "not live"));
        route("/health/ready", request -> {
            String reason = health.notReadyReason();
            return text(reason == null ? 200 : 503, reason != null ? "not ready: " + reason
                    : health.about() == null ? "ready" : "ready: " + health.about());
        });
        route("/metrics", request -> text(200, metrics.scrape()));
        server.start();
    }

    private static Answer text(int status, String body) {
        return new Answer(status, "text/plain", body);
    }

    /** Serves GET {@code path}... to anyone, as probes and Prometheus ask; a failing route answers 500 with the error. */
    public void route(String path, Route route) {
        serve(path, Set.of("GET", "HEAD"), false, route);
    }

    /** Serves {@code methods} of {@code path}... to the operator's token only; off (403) while no token is set. */
    public void operatorRoute(String path, Set<String> methods, Route route) {
        serve(path, methods, true, route);
    }

    private void serve(String path, Set<String> methods, boolean operatorOnly, Route route) {
        if (routes.put(path, handler(path, methods, operatorOnly, route)) == null) {
            server.createContext(path, exchange -> routes.get(path).handle(exchange));
        }
    }

    private HttpHandler handler(String path, Set<String> methods, boolean operatorOnly, Route route) {
        return exchange -> {
            Answer answer;
            try {
                if (!methods.contains(exchange.getRequestMethod())) {
                    answer = Answer.error(405, exchange.getRequestMethod() + " is not served here; " + methods + " are");
                } else if (operatorOnly && token.length == 0) {
                    answer = Answer.error(403, path + " is off: set OPS_TOKEN on the service to enable it");
                } else if (operatorOnly && !authorized(exchange)) {
                    answer = Answer.error(401, path + " needs the operator's token: Authorization: Bearer <OPS_TOKEN>");
                } else {
                    answer = route.answer(new Request(exchange.getRequestMethod(),
                            exchange.getRequestURI().getPath().substring(path.length()), exchange.getRequestURI().getQuery()));
                }
            } catch (Exception e) {
                answer = Answer.error(500, SafeText.of(e.toString()));
            }
            respond(exchange, answer);
        };
    }

    private boolean authorized(HttpExchange exchange) {
        return bearerMatches(exchange, token);
    }

    /** Whether the request's {@code Authorization: Bearer} token is {@code token}, compared in constant time: also the live page's. */
    public static boolean bearerMatches(HttpExchange exchange, byte[] token) {
        String header = exchange.getRequestHeaders().getFirst("Authorization");
        byte[] offered = header != null && header.startsWith("Bearer ")
                ? header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8) : new byte[0];
        return MessageDigest.isEqual(offered, token);
    }

    public int port() {
        return server.getAddress().getPort();
    }

    /** Sends {@code answer} on {@code exchange} (no body to a HEAD): also for the CLI's live page. */
    public static void respond(HttpExchange exchange, Answer answer) throws IOException {
        byte[] bytes = (answer.body() + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", answer.contentType() + "; charset=utf-8");
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(answer.status(), -1);
            exchange.close();
            return;
        }
        exchange.sendResponseHeaders(answer.status(), bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
