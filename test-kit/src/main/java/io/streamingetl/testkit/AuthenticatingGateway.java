package io.streamingetl.testkit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

/**
 * What stands in front of a managed search cluster (Elastic Cloud's proxy, a security plugin): every request must
 * carry basic credentials, which are checked and then forwarded, as they are, to the real engine behind; wrong ones
 * are answered 401 with the engine's own error shape. The engines the local stack runs have no security module,
 * so a test that needs a refused password puts this before them. The password it accepts can change meanwhile,
 * as a rotation would.
 */
public final class AuthenticatingGateway implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final HttpServer server;
    private final String engine;
    private final String username;
    private volatile String password;

    public AuthenticatingGateway(String engineUrl, String username, String password) {
        this.engine = engineUrl;
        this.username = username;
        this.password = password;
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/", this::handle);
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** From now on only this password is taken. */
    public void acceptOnly(String newPassword) {
        password = newPassword;
    }

    private void handle(HttpExchange exchange) throws IOException {
        String expected = "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        byte[] body = exchange.getRequestBody().readAllBytes();
        if (!expected.equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            respond(exchange, 401, "application/json", JSON.writeValueAsBytes(Map.of("status", 401, "error", Map.of(
                    "type", "security_exception", "reason", "unable to authenticate user [" + username + "] for REST request ["
                            + exchange.getRequestURI().getPath() + "]"))));
            return;
        }
        HttpRequest.Builder forward = HttpRequest.newBuilder(URI.create(engine + exchange.getRequestURI()))
                .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body))
                .timeout(Duration.ofSeconds(30));
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (contentType != null) {
            forward.header("Content-Type", contentType);
        }
        try {
            HttpResponse<byte[]> answer = CLIENT.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
            respond(exchange, answer.statusCode(), answer.headers().firstValue("Content-Type").orElse("application/json"),
                    answer.body());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            respond(exchange, 503, "text/plain", new byte[0]);
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, byte[] body) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
