package io.streamingetl.cli;

import io.streamingetl.cli.PipelineCli.CliException;
import io.streamingetl.runtime.PipelineService;
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
        try {
            return CLIENT.send(HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(5)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    static HttpResponse<String> get(PipelineService service, URI base, String path) {
        HttpResponse<String> answer = tryGet(base, path);
        if (answer == null) {
            throw new CliException(service.serviceName() + " does not answer at " + base + " (setting "
                    + service.urlSetting() + "): is it running?");
        }
        return answer;
    }
}
