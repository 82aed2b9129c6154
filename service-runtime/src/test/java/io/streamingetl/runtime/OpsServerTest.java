package io.streamingetl.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OpsServerTest {
    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(OpsServer server, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void probesAreAnsweredWhileAnotherRequestIsStillBeingServed() throws Exception {
        Health health = new Health();
        health.ready();
        OpsServer server = new OpsServer(0, health, new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
        CountDownLatch release = new CountDownLatch(1);
        server.route("/slow", rest -> {
            release.await(30, TimeUnit.SECONDS);
            return OpsServer.Answer.json(200, "{}");
        });
        try {
            CompletableFuture<HttpResponse<String>> slow = http.sendAsync(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/slow")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(get(server, "/health/live").body()).isEqualTo("live\n");
            assertThat(get(server, "/health/ready").body()).isEqualTo("ready\n");
            assertThat(slow).isNotDone();
            release.countDown();
            assertThat(slow.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        } finally {
            release.countDown();
            server.close();
        }
    }
}
