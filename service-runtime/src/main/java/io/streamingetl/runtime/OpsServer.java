package io.streamingetl.runtime;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Health and metrics over HTTP, as Kubernetes probes and Prometheus expect them:
 * {@code /health/live} (200 while the process should keep running), {@code /health/ready} (200 while it does
 * its work; 503 otherwise, with the reason) and {@code /metrics} (Prometheus text format); and whatever a
 * service adds with {@link #route} (enrichment-service's pull query on its customer table).
 */
public final class OpsServer implements AutoCloseable {
    private final HttpServer server;

    /** An answer to a GET. */
    public record Answer(int status, String contentType, String body) {
        public static Answer json(int status, String json) {
            return new Answer(status, "application/json", json);
        }
    }

    /** Answers a GET below its path, given the rest of the path after it. */
    @FunctionalInterface
    public interface Route {
        Answer answer(String rest) throws Exception;
    }

    private static final int HTTP_THREADS = 4;

    public OpsServer(int port, Health health, PrometheusMeterRegistry metrics) {
        try {
            server = HttpServer.create(new InetSocketAddress(port), 0);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on HTTP port " + port
                    + " (setting HTTP_PORT): " + e.getMessage() + "; choose a free port", e);
        }
        // Probes are answered while a scrape or a pull query takes its time: a thread each, not one for all.
        AtomicInteger threads = new AtomicInteger();
        server.setExecutor(Executors.newFixedThreadPool(HTTP_THREADS, r -> {
            Thread t = new Thread(r, "ops-http-" + threads.incrementAndGet());
            t.setDaemon(true);
            return t;
        }));
        server.createContext("/health/live", ex -> respond(ex, health.live() ? 200 : 503,
                health.live() ? "live" : "not live"));
        server.createContext("/health/ready", ex -> {
            String reason = health.notReadyReason();
            respond(ex, reason == null ? 200 : 503, reason == null ? "ready" : "not ready: " + reason);
        });
        server.createContext("/metrics", ex -> respond(ex, 200, metrics.scrape()));
        server.start();
    }

    /** Serves GET {@code path}... by {@code route}; a failing route answers 500 with the error. */
    public void route(String path, Route route) {
        server.createContext(path, ex -> {
            Answer answer;
            try {
                answer = route.answer(ex.getRequestURI().getPath().substring(path.length()));
            } catch (Exception e) {
                answer = Answer.json(500, "{\"error\": " + quote(e.toString()) + "}");
            }
            respond(ex, answer.status(), answer.contentType(), answer.body());
        });
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    public int port() {
        return server.getAddress().getPort();
    }

    private static void respond(HttpExchange exchange, int status, String body) throws IOException {
        respond(exchange, status, "text/plain", body);
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType + "; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
