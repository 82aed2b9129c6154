package io.streamingetl.cli;

import io.streamingetl.cli.PipelineCli.CliException;
import io.streamingetl.contract.PipelineService;
import java.io.IOException;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Kafka Connect's pause, resume and restart for a stage of the pipeline, through its operator endpoints
 * ({@code POST /control/<action>}, with the operator's token).
 */
abstract class ControlCommand implements Runnable {
    @ParentCommand
    private PipelineCli cli;

    @Parameters(paramLabel = "<service>", description = "customers-cdc, logistics-cdc, enrichment-service, "
            + "shipment-join-service or es-sink-service")
    private String service;

    abstract String action();

    /** The pipeline service named {@code name}, or one line listing them. */
    static PipelineService service(String name) {
        try {
            return PipelineService.named(name);
        } catch (IllegalArgumentException e) {
            throw new CliException("no service " + name + "; one of " + Arrays.stream(PipelineService.values())
                    .map(PipelineService::serviceName).collect(Collectors.joining(", ")));
        }
    }

    @Override
    public void run() {
        PipelineService target = service(service);
        HttpResponse<String> answer;
        try {
            answer = Http.control(target, cli.settings(), action(), action().equals("pause") ? asker("./pipeline pause") : null);
        } catch (Http.NoAnswerInTime e) {
            // A slow answer is not no answer: what the service says now tells whether the action took effect.
            Map<String, Object> now = StatusCommand.statusOf(target, cli.settings().services().get(target));
            boolean done = action().equals("pause") && Boolean.TRUE.equals(now.get("paused"))
                    || action().equals("resume") && Boolean.FALSE.equals(now.get("paused"));
            if (!done) {
                throw new CliException(e.getMessage() + "; it says now: " + now.get("reason"));
            }
            cli.err().println(e.getMessage() + "; it says now that it is " + (action().equals("pause") ? "paused" : "not paused"));
            cli.out().println(Output.write(now));
            return;
        }
        if (answer.statusCode() != 200) {
            throw new CliException(service + " did not " + action() + " (" + answer.statusCode() + "): "
                    + errorOf(answer.body()));
        }
        cli.out().println(Output.write(StatusCommand.statusOf(target, cli.settings().services().get(target))));
    }

    /** Who asks, as a paused service shows it: the tool, the user, the host. */
    static String asker(String tool) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "?";
        }
        return tool + ", " + System.getProperty("user.name") + "@" + host + ", pid " + ProcessHandle.current().pid()
                + ", at " + Instant.now().truncatedTo(ChronoUnit.SECONDS);
    }

    /** The {@code error} of a service's JSON answer, or the answer as it is. */
    static String errorOf(String body) {
        try {
            return RecordJson.JSON.readTree(body).path("error").asText(body.strip());
        } catch (IOException e) {
            return body.strip();
        }
    }

    @Command(name = "pause", description = "Pause a stage: the sink stops writing (partitions paused, nothing dead-lettered),"
            + " capture stops reading (offsets and the replication slot kept), a Streams service stops processing"
            + " (KafkaStreams#pause); readiness says \"paused by an operator\" until resume.")
    static final class Pause extends ControlCommand {
        String action() {
            return "pause";
        }
    }

    @Command(name = "resume", description = "Resume a paused stage where it stopped.")
    static final class Resume extends ControlCommand {
        String action() {
            return "resume";
        }
    }

    @Command(name = "restart", description = "Restart a stage in place: closed cleanly (offsets committed) and made again"
            + " from its settings in the same process; a pause ends with it.")
    static final class Restart extends ControlCommand {
        String action() {
            return "restart";
        }
    }
}
