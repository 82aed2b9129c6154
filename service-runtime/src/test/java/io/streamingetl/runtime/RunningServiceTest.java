package io.streamingetl.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingetl.contract.Topic;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An operator's pause, resume and restart in place, and {@code /status}, on a service that only records what it was told. */
class RunningServiceTest {
    private static final String TOKEN = "an-operator-token-of-some-length";
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<RecordingService> made = new ArrayList<>();
    private final Service.Definition definition = new Service.Definition("recording-service", 0, (settings, runtime) -> {
        RecordingService service = new RecordingService(runtime.health(), made.size() + 1);
        made.add(service);
        return service;
    });
    private RunningService running;

    /** Says what it was told; ready once started. */
    static final class RecordingService implements Service {
        final List<String> told = new ArrayList<>();
        final CountDownLatch stopped = new CountDownLatch(1);
        private final Health health;
        private final int generation;

        RecordingService(Health health, int generation) {
            this.health = health;
            this.generation = generation;
        }

        public List<Topic<String, ?>> topics() {
            return List.of();
        }

        public void start() {
            told.add("start");
            health.ready();
        }

        public void pause() {
            told.add("pause");
        }

        public void resume() {
            told.add("resume");
        }

        public Map<String, Object> status() {
            return Map.of("generation", generation);
        }

        public boolean awaitStop() throws InterruptedException {
            stopped.await();
            return false;
        }

        public void close() {
            told.add("close");
            stopped.countDown();
        }
    }

    @AfterEach
    void stop() {
        if (running != null) {
            running.close();
        }
    }

    private RunningService start(String token) {
        running = ServiceLauncher.start(definition, new Settings(Map.of("HTTP_PORT", "0", "OPS_TOKEN", token)));
        return running;
    }

    private HttpResponse<String> post(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(running.url(path))).POST(HttpRequest.BodyPublishers.noBody());
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(running.url(path))).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pausedByAnOperatorItIsNotReadySayingSoUntilResumed() throws Exception {
        start(TOKEN);

        assertThat(post("/control/pause", TOKEN).statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        assertThat(ready.body()).contains("paused by an operator");

        assertThat(post("/control/resume", TOKEN).statusCode()).isEqualTo(200);
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(made.get(0).told).containsExactly("start", "pause", "resume");
    }

    @Test
    void withoutTheOperatorsTokenNoControlIsTaken() throws Exception {
        start(TOKEN);

        assertThat(post("/control/pause", null).statusCode()).isEqualTo(401);
        assertThat(post("/control/pause", "not-the-token-at-all-no").statusCode()).isEqualTo(401);
        assertThat(made.get(0).told).containsExactly("start");
    }

    @Test
    void withNoTokenSetTheControlsAreOff() throws Exception {
        start("");

        assertThat(post("/control/pause", "anything-of-sixteen-chars").statusCode()).isEqualTo(403);
        assertThat(made.get(0).told).containsExactly("start");
    }

    @Test
    void statusIsJsonWithHealthAndWhatTheServiceSays() throws Exception {
        start(TOKEN);
        post("/control/pause", TOKEN);

        JsonNode status = new ObjectMapper().readTree(get("/status").body());

        assertThat(status.get("service").asText()).isEqualTo("recording-service");
        assertThat(status.get("live").asBoolean()).isTrue();
        assertThat(status.get("ready").asBoolean()).isFalse();
        assertThat(status.get("paused").asBoolean()).isTrue();
        assertThat(status.get("dead_letters").asLong()).isZero();
        assertThat(status.get("generation").asInt()).isEqualTo(1);
    }

    @Test
    void aRestartClosesTheServiceAndStartsANewOneWhileTheProcessKeepsWaitingForTheNew() throws Exception {
        start(TOKEN);
        CompletableFuture<Boolean> processEnd = CompletableFuture.supplyAsync(() -> {
            try {
                return running.awaitStop();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        post("/control/pause", TOKEN);

        HttpResponse<String> restart = post("/control/restart", TOKEN);

        assertThat(restart.statusCode()).isEqualTo(200);
        assertThat(made).hasSize(2);
        assertThat(made.get(0).told).containsExactly("start", "pause", "close");
        assertThat(made.get(1).told).containsExactly("start");
        assertThat(get("/health/ready").statusCode()).as("a restart ends the pause").isEqualTo(200);
        assertThat(processEnd).isNotDone();

        running.close();
        running = null;
        assertThat(processEnd.get(5, TimeUnit.SECONDS)).isFalse();
    }
}
