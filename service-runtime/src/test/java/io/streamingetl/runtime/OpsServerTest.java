package io.streamingetl.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class OpsServerTest {
    private static final String TOKEN = "an-operator-token-of-some-length";
    private final HttpClient http = HttpClient.newHttpClient();
    private final Health health = new Health();
    private OpsServer server;

    private OpsServer start(String token) {
        health.ready();
        server = new OpsServer(new OpsSettings(InetAddress.getLoopbackAddress(), 0, 2, Duration.ofSeconds(1), token), health,
                new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        server.operatorRoute("/act/", Set.of("POST"), request -> OpsServer.Answer.json(200, Map.of("done", request.rest())));
        return server;
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private HttpResponse<String> send(String method, String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(3)).method(method, HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void probesAreAnsweredWhileAnotherRequestIsStillBeingServed() throws Exception {
        start("");
        CountDownLatch release = new CountDownLatch(1);
        server.route("/slow", request -> {
            release.await(30, TimeUnit.SECONDS);
            return OpsServer.Answer.json(200, "{}");
        });
        try {
            CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/slow")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(send("GET", "/health/live", null).body()).isEqualTo("live\n");
            assertThat(send("GET", "/health/ready", null).body()).isEqualTo("ready\n");
            assertThat(slow).isNotDone();
            release.countDown();
            assertThat(slow.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        } finally {
            release.countDown();
        }
    }

    @Test
    void anOperatorEndpointIsOffWithoutAToken() throws Exception {
        start("");

        HttpResponse<String> answer = send("POST", "/act/pause", TOKEN);

        assertThat(answer.statusCode()).isEqualTo(403);
        assertThat(answer.body().strip()).isEqualTo("{\"error\":\"/act/ is off: set OPS_TOKEN on the service to enable it\"}");
    }

    @Test
    void anOperatorEndpointAnswersTheTokenAndNoOtherCaller() throws Exception {
        start(TOKEN);

        assertThat(send("POST", "/act/pause", null).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/act/pause", TOKEN + "x").statusCode()).isEqualTo(401);
        HttpResponse<String> answer = send("POST", "/act/pause", TOKEN);
        assertThat(answer.statusCode()).isEqualTo(200);
        assertThat(answer.body().strip()).isEqualTo("{\"done\":\"pause\"}");
        assertThat(send("GET", "/act/pause", TOKEN).statusCode()).isEqualTo(405);
    }

    @Test
    void probesAndMetricsStayOpenWithAToken() throws Exception {
        start(TOKEN);

        assertThat(send("GET", "/health/live", null).statusCode()).isEqualTo(200);
        assertThat(send("GET", "/metrics", null).statusCode()).isEqualTo(200);
    }

    /** Clients that send half a request and wait hold a thread each only until the read timeout drops them. */
    @Test
    void slowClientsOnEveryThreadDoNotKeepTheLivenessProbeFromAnswering() throws Exception {
        start("");
        List<Socket> slow = new ArrayList<>();
        try {
            for (int i = 0; i < 6; i++) {
                Socket socket = new Socket(InetAddress.getLoopbackAddress(), server.port());
                OutputStream out = socket.getOutputStream();
                out.write("GET /health/live HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                slow.add(socket);
            }
            long start = System.nanoTime();
            HttpResponse<String> live = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                    + "/health/live")).timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(live.statusCode()).isEqualTo(200);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(4));
        } finally {
            for (Socket socket : slow) {
                socket.close();
            }
        }
    }

    @Test
    void itListensOnTheBindAddressOnly() throws Exception {
        start("");

        assertThat(server.port()).isPositive();
        assertThat(OpsSettings.from(new Settings(Map.of()), 8083).bindAddress().isLoopbackAddress()).isTrue();
        assertThat(OpsSettings.from(new Settings(Map.of("OPS_BIND_ADDRESS", "0.0.0.0")), 8083).bindAddress()
                .isAnyLocalAddress()).isTrue();
    }
}
