package io.streamingetl.cli;

import io.streamingetl.cli.PipelineCli.CliException;
import io.streamingetl.contract.PipelineService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GETs to a service's HTTP port; a service that does not answer is one line naming the setting. */
final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    private Http() {
    }

    /** The answer, or null when the service does not answer. */
    static HttpResponse<String> tryGet(URI base, String path) {
        return trySend(HttpRequest.newBuilder(base.resolve(path)).GET());
    }

    private static HttpResponse<String> trySend(HttpRequest.Builder request) {
        try {
            return CLIENT.send(request.timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
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
        URI base = settings.services().get(service);
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (!settings.opsToken().isEmpty()) {
            request.header("Authorization", "Bearer " + settings.opsToken());
        }
        HttpResponse<String> answer = answered(service, base, trySend(request));
        if (answer.statusCode() == 401 || answer.statusCode() == 403) {
            throw new CliException(service.serviceName() + " refused " + method + " " + path + " (" + answer.statusCode()
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
