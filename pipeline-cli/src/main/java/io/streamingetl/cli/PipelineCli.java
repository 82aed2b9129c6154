package io.streamingetl.cli;

import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.SettingsException;
import java.io.PrintWriter;
import java.util.Map;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine;

/**
 * {@code ./pipeline}: what each topic holds, a topic's records and schema, a customer as the enrichment
 * service knows it, each service's status, and the dead letters with their replay, for any deployment (the
 * same settings as the services, defaults the demo's). An error is one line and exit code 1; a wrong command
 * or option prints the usage, exit code 2.
 */
@Command(name = "pipeline", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, version = "pipeline 0.1.0",
        description = "See inside the pipeline and act on it: its topics, records, schemas, customers, services, dead"
                + " letters, one order's way through it; pause, resume and restart a stage.",
        subcommands = {TopicsCommand.class, PrintCommand.class, DescribeCommand.class, CustomerCommand.class,
                StatusCommand.class, TraceCommand.class, DlqCommand.class, SnapshotCommand.class, ReindexCommand.class, ResetCommand.class, UiCommand.class, ControlCommand.Pause.class,
                ControlCommand.Resume.class, ControlCommand.Restart.class, AutoComplete.GenerateCompletion.class},
        footer = {"", "Settings (environment): KAFKA_BOOTSTRAP_SERVERS (127.0.0.1:29092) and KAFKA_* security, "
                + "SCHEMA_REGISTRY_URL, the topic settings (ORDERS_TOPIC, ...), CUSTOMERS_CDC_URL, LOGISTICS_CDC_URL, "
                + "ENRICHMENT_URL, SHIPMENT_JOIN_URL, ES_SINK_URL (http://127.0.0.1:8081 to 8085), OPS_TOKEN (or "
                + ".demo/ops-token), ES_URL and its credentials, ES_INDEX: the demo's by default."})
public final class PipelineCli implements Runnable {
    private final CliSettings settings;
    private final PrintWriter out;
    private final PrintWriter err;

    PipelineCli(CliSettings settings, PrintWriter out, PrintWriter err) {
        this.settings = settings;
        this.out = out;
        this.err = err;
    }

    CliSettings settings() {
        return settings;
    }

    /** Where results go: one line each. */
    PrintWriter out() {
        return out;
    }

    /** Where notes and errors go, so results can be piped. */
    PrintWriter err() {
        return err;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(new CommandLine(this), "say which command to run");
    }

    public static void main(String[] args) {
        // The Kafka clients' own warnings (a broker not answering yet, say) would bury the one line said here.
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka", "off");
        System.exit(run(args, System.getenv(), new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /** Runs one command; the exit code. */
    public static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        CliSettings settings;
        try {
            settings = CliSettings.from(Settings.from(environment));
        } catch (SettingsException e) {
            err.println("pipeline: " + e.getMessage());
            return 2;
        }
        return commandLine(settings, out, err).execute(args);
    }

    /**
     * The command line every caller runs commands through (the shell's {@code ./pipeline}, the live page's trace box):
     * no {@code @file} expansion, which would read a local file into the arguments (and echo it back in a trace).
     */
    static CommandLine commandLine(CliSettings settings, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new PipelineCli(settings, out, err));
        commandLine.setExpandAtFiles(false);
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler((e, line, parsed) -> {
            line.getErr().println("pipeline: " + (e instanceof CliException ? e.getMessage() : e.toString()));
            return 1;
        });
        return commandLine;
    }

    /** What went wrong, said in one line: the exception handler prints its message alone. */
    static class CliException extends RuntimeException {
        CliException(String message) {
            super(message);
        }
    }
}
