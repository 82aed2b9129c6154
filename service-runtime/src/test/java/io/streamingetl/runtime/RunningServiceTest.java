package io.streamingetl.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingetl.contract.Topic;
import static org.awaitility.Awaitility.await;

import io.streamingetl.runtime.Service.StillRunningException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
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
        /** A pause waits for this (the work under way), then stops or, when {@link #stuck}, says it could not. */
        volatile CountDownLatch pauseWaitsFor = new CountDownLatch(0);
        volatile boolean stuck;
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
            try {
                pauseWaitsFor.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (stuck) {
                throw new StillRunningException("its work is still under way after 1 s; it goes on");
            }
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
        running = ServiceLauncher.start(definition, new Settings(Map.of("HTTP_PORT", "0", "OPS_TOKEN", token,
                "CONTROL_TIMEOUT", "1s")));
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

    @Test
    void statusAndProbesAnswerAtOnceWhileAPauseWaitsForTheWorkUnderWay() throws Exception {
        start(TOKEN);
        CountDownLatch workUnderWay = new CountDownLatch(1);
        made.get(0).pauseWaitsFor = workUnderWay;
        CompletableFuture<HttpResponse<String>> pause = CompletableFuture.supplyAsync(() -> {
            try {
                return post("/control/pause", TOKEN);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> new ObjectMapper().readTree(get("/status").body())
                .get("control_under_way").asText().startsWith("a pause"));

        long before = System.nanoTime();
        HttpResponse<String> status = get("/status");
        HttpResponse<String> live = get("/health/live");
        long tookMillis = (System.nanoTime() - before) / 1_000_000;
        workUnderWay.countDown();

        assertThat(status.statusCode()).isEqualTo(200);
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(tookMillis).as("answered while the pause waited").isLessThan(500);
        assertThat(pause.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void aPauseTheServiceCannotCompleteIsAnsweredSoAndLeavesItRunningNotPaused() throws Exception {
        start(TOKEN);
        made.get(0).stuck = true;

        HttpResponse<String> pause = post("/control/pause", TOKEN);

        assertThat(pause.statusCode()).isEqualTo(409);
        assertThat(pause.body()).contains("recording-service could not pause: its work is still under way after 1 s; it goes on");
        assertThat(get("/health/ready").statusCode()).isEqualTo(200);
        assertThat(new ObjectMapper().readTree(get("/status").body()).get("paused").asBoolean()).isFalse();
    }

    @Test
    void aControlActionAskedWhileAnotherIsUnderWayWaitsForItAndIsRefusedAfterTheControlTimeout() throws Exception {
        start(TOKEN);
        CountDownLatch workUnderWay = new CountDownLatch(1);
        made.get(0).pauseWaitsFor = workUnderWay;
        CompletableFuture<HttpResponse<String>> pause = CompletableFuture.supplyAsync(() -> {
            try {
                return post("/control/pause", TOKEN);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        await().atMost(Duration.ofSeconds(5)).until(() -> !new ObjectMapper().readTree(get("/status").body())
                .get("control_under_way").isNull());

        HttpResponse<String> refused = post("/control/resume", TOKEN);
        CompletableFuture<HttpResponse<String>> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return post("/control/resume", TOKEN);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        workUnderWay.countDown();

        assertThat(refused.statusCode()).isEqualTo(409);
        assertThat(refused.body()).contains("recording-service is still busy with a pause (asked at ");
        assertThat(pause.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(waiting.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(made.get(0).told).containsExactly("start", "pause", "resume");
    }

    @Test
    void whoAskedForAPauseIsShownByReadinessAndStatusUntilResumed() throws Exception {
        start(TOKEN);

        post("/control/pause?by=" + URLEncoder.encode("./pipeline reindex (pid 42)", StandardCharsets.UTF_8), TOKEN);
        JsonNode paused = new ObjectMapper().readTree(get("/status").body());
        String ready = get("/health/ready").body();
        post("/control/resume", TOKEN);

        assertThat(paused.get("paused_by").asText()).isEqualTo("./pipeline reindex (pid 42)");
        assertThat(ready).contains("paused by an operator (./pipeline reindex (pid 42))");
        assertThat(new ObjectMapper().readTree(get("/status").body()).get("paused_by").isNull()).isTrue();
    }
}
