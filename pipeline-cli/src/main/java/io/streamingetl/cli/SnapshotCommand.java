package io.streamingetl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.streamingetl.cli.PipelineCli.CliException;
import io.streamingetl.contract.PipelineService;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * Debezium's ad-hoc incremental snapshot of one source table or collection, while capture keeps streaming: asked of
 * the CDC service that captures it ({@code POST /snapshot}), which signals its connector through Kafka; its progress
 * followed on the service's {@code /status} until it ends.
 */
@Command(name = "snapshot", description = "Re-capture a source table or collection while streaming goes on (Debezium's "
        + "incremental snapshot): every row, or those --where selects, is read again and flows through the pipeline;"
        + " changes made meanwhile still arrive, in order. Shows progress until it completes.")
final class SnapshotCommand implements Callable<Integer> {
    static final Map<String, PipelineService> CAPTURED_BY = Map.of("customers", PipelineService.CUSTOMERS_CDC,
            "orders", PipelineService.LOGISTICS_CDC, "shipments", PipelineService.LOGISTICS_CDC);
    private static final Duration POLL = Duration.ofMillis(500);

    @ParentCommand
    private PipelineCli cli;

    @Parameters(paramLabel = "<customers|orders|shipments>", description = "the table or collection to re-capture")
    private String collection;

    @Option(names = "--where", paramLabel = "<condition>", description = "only the rows this selects: SQL for customers "
            + "(id = '5'); for orders and shipments field = 'value', field IN ('a', 'b') joined by AND, or a MongoDB query {...}")
    private String where;

    @Option(names = "--no-wait", description = "return once the snapshot is asked for, without following it")
    private boolean noWait;

    @Option(names = "--timeout", paramLabel = "<duration>", defaultValue = "1h", converter = DurationConverter.class,
            description = "how long to follow it (${DEFAULT-VALUE}); it goes on after that, ./pipeline status shows it")
    private Duration timeout;

    /** Durations as the settings read them: 500ms, 30s, 5m, 1h, or ISO-8601. */
    static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        public Duration convert(String value) {
            return new io.streamingetl.runtime.Settings(Map.of("--timeout", value)).duration("--timeout", Duration.ZERO);
        }
    }

    @Override
    public Integer call() throws Exception {
        PipelineService service = CAPTURED_BY.get(collection);
        if (service == null) {
            throw new CliException("no source collection " + collection + "; one of customers, orders, shipments");
        }
        JsonNode asked = ask(cli.settings(), collection, where, "start the snapshot");
        cli.err().println("snapshot " + asked.path("id").asText() + " of " + asked.path("collections") + " asked of "
                + service.serviceName() + (where == null ? "" : " where " + where) + ": " + asked.path("rows_total").asLong()
                + " rows to read again; streaming goes on meanwhile");
        if (!collection.equals("customers")) {
            cli.err().println("note: re-captured " + collection + " keep their ts; shipment-join-service drops a record whose ts is"
                    + " more than its window and grace behind the newest it has seen as late, not joined (counted in its"
                    + " late-records metric); the documents of such orders stay as they are");
        }
        if (noWait) {
            return 0;
        }
        return follow(service, asked.path("id").asText());
    }

    /**
     * Asks the CDC service capturing {@code collection} for an incremental snapshot of the rows {@code where}
     * selects (all when null); its answer (id, collections, rows_total), or a CliException saying why it did not
     * {@code what}.
     */
    static JsonNode ask(CliSettings settings, String collection, String where, String what) throws JsonProcessingException {
        PipelineService service = CAPTURED_BY.get(collection);
        String path = "/snapshot?collection=" + URLEncoder.encode(collection, StandardCharsets.UTF_8)
                + (where == null ? "" : "&where=" + URLEncoder.encode(where, StandardCharsets.UTF_8));
        HttpResponse<String> answer = Http.asOperator(service, settings, "POST", path);
        if (answer.statusCode() != 202) {
            throw new CliException(service.serviceName() + " did not " + what + " (" + answer.statusCode() + "): "
                    + RecordJson.JSON.readTree(answer.body()).path("error").asText(answer.body().strip()));
        }
        return RecordJson.JSON.readTree(answer.body());
    }

    /**
     * Shows the snapshot's progress from the service's /status until it completes (0), is aborted or failed (1, saying
     * why), or the timeout passes (1: it goes on).
     */
    private int follow(PipelineService service, String id) throws InterruptedException {
        ProgressBar bar = new ProgressBar(cli.err(), "rows");
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Map<String, Object> status = StatusCommand.statusOf(service, cli.settings().services().get(service));
            if (!(status.get("snapshot") instanceof Map<?, ?> snapshot) || !id.equals(snapshot.get("id"))) {
                bar.done();
                throw new CliException(service.serviceName() + " no longer reports snapshot " + id + " (restarted?): "
                        + status.get("reason"));
            }
            long done = ((Number) snapshot.get("rows_scanned")).longValue();
            long total = ((Number) snapshot.get("rows_total")).longValue();
            String state = String.valueOf(snapshot.get("state"));
            bar.show(done, total, state + (snapshot.get("current") == null ? "" : ", reading " + snapshot.get("current")));
            if (state.equals("completed") || state.equals("aborted") || state.equals("failed")) {
                bar.done();
                cli.out().println(Output.write(snapshot));
                if (snapshot.get("error") != null) {
                    cli.err().println("snapshot " + id + " " + state + ": " + snapshot.get("error"));
                }
                return state.equals("completed") ? 0 : 1;
            }
            if (System.nanoTime() > deadline) {
                bar.done();
                throw new CliException("snapshot " + id + " is still " + state + " after " + timeout.toMillis() + " ms (--timeout):"
                        + " it goes on; ./pipeline status shows its progress");
            }
            Thread.sleep(POLL.toMillis());
        }
    }
}
