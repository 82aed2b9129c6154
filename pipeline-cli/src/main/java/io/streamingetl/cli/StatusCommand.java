package io.streamingetl.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.streamingetl.contract.PipelineService;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParentCommand;

/** Each service as its {@code /status} tells it: ready or why not, lag, dead letters, and what its work says. */
@Command(name = "status", description = "Each service: live, ready or the reason it is not (paused by an operator,"
        + " say), consumer lag, dead letters, and what its work reports (the last change captured, a snapshot's progress,"
        + " the Streams state, the index's freshness), from each one's /status.",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every service is ready", "3:a service answers but is not ready (or paused)",
                "4:a service does not answer", "1:another error", "2:a wrong command or option"})
final class StatusCommand implements Callable<Integer> {
    static final int NOT_READY = 3;
    static final int UNREACHABLE = 4;
    /** The fields every service's /status has; the others are its work's own. */
    /** A Streams service's tasks and stores: counted in the table, whole in JSON. */
    private static final Set<String> STREAMS_TASKS = Set.of("active_tasks", "standby_tasks", "stores");
    private static final Set<String> COMMON = Set.of("service", "live", "ready", "reason", "paused", "about",
            "dead_letters", "consumer_lag");

    @ParentCommand
    private PipelineCli cli;

    @Mixin
    private Output output;

    @Override
    public Integer call() {
        List<Map<String, Object>> rows = new ArrayList<>();
        int exitCode = 0;
        for (Map.Entry<PipelineService, URI> service : cli.settings().services().entrySet()) {
            Map<String, Object> status = statusOf(service.getKey(), service.getValue());
            if (status.get("live") == null) {
                exitCode = UNREACHABLE;
            } else if (!Boolean.TRUE.equals(status.get("ready")) && exitCode == 0) {
                exitCode = NOT_READY;
            }
            rows.add(status);
        }
        if (output.json()) {
            cli.out().println(Output.write(rows));
        } else {
            output.rows(cli.out(), List.of("service", "live", "ready", "lag", "dead letters", "detail"),
                    rows.stream().map(StatusCommand::tableRow).toList());
        }
        if (exitCode != 0) {
            cli.err().println("not every service is ready: see the reasons above");
        }
        return exitCode;
    }

    /** The service's /status, or a row saying it does not answer at its URL (and the setting that names it). */
    static Map<String, Object> statusOf(PipelineService service, URI url) {
        HttpResponse<String> answer = Http.tryGet(url, "/status");
        Map<String, Object> status = new LinkedHashMap<>();
        if (answer == null || answer.statusCode() != 200) {
            status.put("service", service.serviceName());
            status.put("live", null);
            status.put("ready", false);
            status.put("reason", answer == null ? "does not answer at " + url + " (" + service.urlSetting() + ")"
                    : "/status answered " + answer.statusCode() + " at " + url);
            return status;
        }
        try {
            status.putAll(RecordJson.JSON.readValue(answer.body(), new TypeReference<Map<String, Object>>() { }));
        } catch (IOException e) {
            status.put("service", service.serviceName());
            status.put("reason", "/status is not JSON: " + e.getMessage());
        }
        return status;
    }

    private static Map<String, Object> tableRow(Map<String, Object> status) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("service", status.get("service"));
        row.put("live", status.get("live") == null ? "-" : Boolean.TRUE.equals(status.get("live")) ? "yes" : "NO");
        row.put("ready", Boolean.TRUE.equals(status.get("ready")) ? "yes" : "NO");
        row.put("lag", status.get("consumer_lag"));
        row.put("dead letters", status.get("dead_letters"));
        String work = status.entrySet().stream().filter(e -> !COMMON.contains(e.getKey()) && !STREAMS_TASKS.contains(e.getKey())
                        && e.getValue() != null)
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(", "));
        if (status.get("active_tasks") instanceof List<?> active && status.get("standby_tasks") instanceof List<?> standby) {
            // The task ids and each store's restoration are in -o json; readiness says what is left to restore.
            work = work + (work.isEmpty() ? "" : ", ") + "tasks=" + active.size() + " active, " + standby.size() + " standby";
        }
        row.put("detail", Boolean.TRUE.equals(status.get("ready")) ? work : status.get("reason") + (work.isEmpty() ? "" : "; " + work));
        return row;
    }
}
