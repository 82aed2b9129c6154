package io.streamingetl.cli;

import io.streamingetl.cli.PipelineCli.CliException;
import io.streamingetl.contract.PipelineService;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Requests to a service's HTTP port; a service that does not answer is one line naming the setting. Control actions
 * ({@link #control}) wait longer than a service takes for one, so an answer is never mistaken for silence.
 */
final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private Http() {
    }

    /** The service took longer than the CLI waits: it may yet do what it was asked. */
    static final class NoAnswerInTime extends CliException {
        NoAnswerInTime(String message) {
            super(message);
        }
    }

    /** The answer, or null when the service does not answer. */
    static HttpResponse<String> tryGet(URI base, String path) {
        try {
            return send(HttpRequest.newBuilder(base.resolve(path)).GET(), TIMEOUT);
        } catch (IOException e) {
            return null;
        }
    }

    private static HttpResponse<String> send(HttpRequest.Builder request, Duration timeout) throws IOException {
        try {
            return CLIENT.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    static HttpResponse<String> get(PipelineService service, URI base, String path) {
        return answered(service, base, tryGet(base, path));
    }

    /** A request to an operator endpoint, with the operator's token ({@code OPS_TOKEN}). */
    static HttpResponse<String> asOperator(PipelineService service, CliSettings settings, String method, String path) {
        return asOperator(service, settings, method, path, TIMEOUT);
    }

    /**
     * {@code POST /control/<action>} ({@code by}: who asks, shown while paused; or null), waiting three times the
     * services' {@code CONTROL_TIMEOUT}: one action under way before it, its own, and a restart's start.
     *
     * @throws NoAnswerInTime when the service has not answered by then
     */
    static HttpResponse<String> control(PipelineService service, CliSettings settings, String action, String by) {
        String path = "/control/" + action + (by == null ? "" : "?by=" + URLEncoder.encode(by, StandardCharsets.UTF_8));
        return asOperator(service, settings, "POST", path, controlWait(settings));
    }

    /** How long {@link #control} waits for an answer. */
    static Duration controlWait(CliSettings settings) {
        return settings.controlTimeout().multipliedBy(3);
    }

    private static HttpResponse<String> asOperator(PipelineService service, CliSettings settings, String method, String path,
                                                   Duration timeout) {
        URI base = settings.services().get(service);
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (!settings.opsToken().isEmpty()) {
            request.header("Authorization", "Bearer " + settings.opsToken());
        }
        HttpResponse<String> answer;
        try {
            answer = send(request, timeout);
        } catch (HttpTimeoutException e) {
            throw new NoAnswerInTime(service.serviceName() + " has not answered " + method + " " + path.replaceFirst("\\?.*", "")
                    + " within " + timeout.toMillis() + " ms (3 x CONTROL_TIMEOUT here): it may yet do it; ./pipeline status"
                    + " shows its state");
        } catch (IOException e) {
            answer = null;
        }
        answer = answered(service, base, answer);
        if (answer.statusCode() == 401 || answer.statusCode() == 403) {
            throw new CliException(service.serviceName() + " refused " + method + " " + path.replaceFirst("\\?by=.*", "") + " (" + answer.statusCode()
                    + "): set OPS_TOKEN to the operator's token the service was given (its OPS_TOKEN setting)");
        }
        return answer;
    }

    private static HttpResponse<String> answered(PipelineService service, URI base, HttpResponse<String> answer) {
        if (answer == null) {
            throw new CliException(service.serviceName() + " does not answer at " + base + " (setting "
                    + service.urlSetting() + "): is it running?");
        }
        return answer;
    }
}
