package io.streamingetl.cli;

import io.streamingetl.contract.PipelineService;
import io.streamingetl.runtime.PrometheusText;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalDouble;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** Each service as its health and metrics endpoints tell it: what it is waiting for, if anything. */
@Command(name = "status", description = "Each service: live, ready or the reason it is not, consumer lag (Kafka's "
        + "records-lag-max, in which transaction markers count), dead letters, the source time of the last change "
        + "captured, and the index's freshness (from each one's health and metrics endpoints).")
final class StatusCommand implements Runnable {
    @ParentCommand
    private PipelineCli cli;

    @Override
    public void run() {
        cli.out().printf("%-22s %-5s %-40s %8s %12s  %-24s  %s%n", "service", "live", "ready", "lag", "dead letters",
                "last change captured", "index freshness p50/p99 (last minute)");
        boolean allReady = true;
        for (Map.Entry<PipelineService, URI> service : cli.settings().services().entrySet()) {
            URI url = service.getValue();
            HttpResponse<String> live = Http.tryGet(url, "/health/live");
            if (live == null) {
                cli.out().printf("%-22s %-5s %-40s%n", service.getKey().serviceName(), "-", "does not answer at " + url
                        + " (" + service.getKey().urlSetting() + ")");
                allReady = false;
                continue;
            }
            HttpResponse<String> ready = Http.tryGet(url, "/health/ready");
            HttpResponse<String> metrics = Http.tryGet(url, "/metrics");
            String scrape = metrics == null ? "" : metrics.body();
            allReady &= ready != null && ready.statusCode() == 200;
            OptionalDouble lastEvent = PrometheusText.max(scrape, "pipeline_cdc_last_event_source_time_seconds", Map.of());
            OptionalDouble p50 = PrometheusText.max(scrape, "pipeline_index_freshness_recent_seconds", Map.of("quantile", "0.5"));
            OptionalDouble p99 = PrometheusText.max(scrape, "pipeline_index_freshness_recent_seconds", Map.of("quantile", "0.99"));
            cli.out().printf("%-22s %-5s %-40s %8s %12d  %-24s  %s%n", service.getKey().serviceName(), live.statusCode() == 200 ? "yes" : "NO",
                    ready == null ? "-" : ready.body().strip(),
                    PrometheusText.max(scrape, "kafka_consumer_fetch_manager_records_lag_max", Map.of()).stream()
                            .mapToObj(lag -> Long.toString((long) lag)).findFirst().orElse("-"),
                    (long) PrometheusText.sum(scrape, "pipeline_dead_letters_total"),
                    lastEvent.isPresent() && lastEvent.getAsDouble() > 0
                            ? Instant.ofEpochMilli((long) (lastEvent.getAsDouble() * 1000)).toString() : "-",
                    p50.isPresent() && p99.isPresent() ? String.format("%.2f / %.2f s", p50.getAsDouble(), p99.getAsDouble()) : "-");
        }
        if (!allReady) {
            cli.err().println("not every service is ready: see the reasons above");
        }
    }
}
