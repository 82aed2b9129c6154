package io.streamingetl.cli;

import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** Each service as its health and metrics endpoints tell it: what it is waiting for, if anything. */
@Command(name = "status", description = "Each service: live, ready or the reason it is not, consumer lag (Kafka's "
        + "records-lag-max, in which transaction markers count), dead letters, and the source time of the last change "
        + "captured (from its health and metrics endpoints).")
final class StatusCommand implements Runnable {
    private static final Pattern LAG = Pattern.compile("(?m)^kafka_consumer_fetch_manager_records_lag_max\\{[^}]*} ([0-9.E+-]+)$");
    private static final Pattern DEAD_LETTERS = Pattern.compile("(?m)^pipeline_dead_letters_total\\{[^}]*} ([0-9.E+-]+)$");
    private static final Pattern LAST_EVENT =
            Pattern.compile("(?m)^pipeline_cdc_last_event_source_time_seconds\\{[^}]*} ([0-9.E+-]+)$");

    @ParentCommand
    private PipelineCli cli;

    @Override
    public void run() {
        cli.out().printf("%-22s %-5s %-40s %8s %12s  %s%n", "service", "live", "ready", "lag", "dead letters",
                "last change captured");
        boolean allReady = true;
        for (Map.Entry<String, URI> service : cli.settings().services().entrySet()) {
            URI url = service.getValue();
            HttpResponse<String> live = Http.tryGet(url, "/health/live");
            if (live == null) {
                cli.out().printf("%-22s %-5s %-40s%n", service.getKey(), "-", "does not answer at " + url
                        + " (" + CliSettings.urlSetting(service.getKey()) + ")");
                allReady = false;
                continue;
            }
            HttpResponse<String> ready = Http.tryGet(url, "/health/ready");
            HttpResponse<String> metrics = Http.tryGet(url, "/metrics");
            String body = metrics == null ? "" : metrics.body();
            String readiness = ready == null ? "-" : ready.body().strip();
            allReady &= ready != null && ready.statusCode() == 200;
            double lastEvent = sum(LAST_EVENT, body);
            cli.out().printf("%-22s %-5s %-40s %8s %12s  %s%n", service.getKey(), live.statusCode() == 200 ? "yes" : "NO",
                    readiness, max(LAG, body), (long) sum(DEAD_LETTERS, body),
                    lastEvent > 0 ? Instant.ofEpochMilli((long) (lastEvent * 1000)).toString() : "-");
        }
        if (!allReady) {
            cli.err().println("not every service is ready: see the reasons above");
        }
    }

    private static String max(Pattern metric, String body) {
        Matcher m = metric.matcher(body);
        double max = Double.NaN;
        while (m.find()) {
            double v = Double.parseDouble(m.group(1));
            max = Double.isNaN(max) || v > max ? v : max;
        }
        return Double.isNaN(max) ? "-" : Long.toString((long) max);
    }

    private static double sum(Pattern metric, String body) {
        Matcher m = metric.matcher(body);
        double sum = 0;
        while (m.find()) {
            double v = Double.parseDouble(m.group(1));
            sum += Double.isNaN(v) ? 0 : v;
        }
        return sum;
    }
}
