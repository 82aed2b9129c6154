package io.streamingetl.cli;

import io.streamingetl.cli.PipelineCli.CliException;
import io.streamingetl.contract.PipelineService;
import java.net.http.HttpResponse;
import java.util.Arrays;
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
        HttpResponse<String> answer = Http.asOperator(target, cli.settings(), "POST", "/control/" + action());
        if (answer.statusCode() != 200) {
            throw new CliException(service + " did not " + action() + " (" + answer.statusCode() + "): " + answer.body().strip());
        }
        cli.out().println(Output.write(StatusCommand.statusOf(target, cli.settings().services().get(target))));
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
