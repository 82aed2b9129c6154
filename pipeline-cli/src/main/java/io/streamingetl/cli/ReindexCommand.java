package io.streamingetl.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.streamingetl.cli.PipelineCli.CliException;
import io.streamingetl.contract.PipelineService;
import io.streamingetl.contract.ShippedOrderDocument;
import io.streamingetl.search.SearchClient;
import io.streamingetl.search.VersionedIndex;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The index rebuilt with no gap, as Elasticsearch and OpenSearch users change a mapping: {@code <alias>_v<N+1>}
 * created with the current (or given) mapping and filled from the compacted topic while the live sink keeps
 * writing the current one; then the live sink paused (its batch under way written), the rebuild caught up to the
 * topic's end, the alias swapped in one {@code _aliases} call, and the sink resumed, now writing the new index
 * through the alias. Nothing is lost (everything up to the end at the pause is in the new index, and the sink
 * goes on from its committed offsets), stale or duplicated (the same versions, ids and {@code external_gte}).
 */
@Command(name = "reindex", description = "Rebuild the index with no gap: <index>_v<N+1> with the current mapping (or"
        + " --mapping), filled from the shipped_orders topic while the live sink goes on, then the alias swapped in one"
        + " call. The old index stays until --drop-old.")
final class ReindexCommand implements Callable<Integer> {
    @ParentCommand
    private PipelineCli cli;

    @Option(names = "--mapping", paramLabel = "<file>", description = "JSON: the index's mappings ({\"properties\": ...}),"
            + " or a whole index body ({\"mappings\": ..., \"settings\": ...}); the pipeline's own by default")
    private Path mapping;

    @Option(names = "--drop-old", description = "delete the index the alias pointed at, once it points at the new one")
    private boolean dropOld;

    @Override
    public Integer call() throws Exception {
        CliSettings settings = cli.settings();
        Map<String, Object> body = body();
        try (SearchClient client = SearchClient.connect(settings.search())) {
            VersionedIndex.State state = VersionedIndex.describe(client, settings.index());
            if (state == null) {
                throw new CliException("no index or alias " + settings.index() + " at " + settings.search().url()
                        + " (ES_URL, ES_INDEX): es-sink-service creates it at its start");
            }
            String next = state.next();
            if (!VersionedIndex.createWith(client, next, body)) {
                throw new CliException(next + " exists already (a reindex that did not finish?): delete it, or point "
                        + settings.index() + " at it, and run reindex again");
            }
            cli.err().println("building " + next + " from " + settings.shippedOrders().name() + " while "
                    + settings.index() + " (" + state.target() + ") stays live");
            try (IndexRebuild rebuild = new IndexRebuild(settings, client, next)) {
                copy(rebuild, rebuild.ends(), "records");
                boolean paused = pauseSink(settings);
                try {
                    copy(rebuild, rebuild.ends(), "records since");
                    client.send("POST", "/" + next + "/_refresh", null);
                    VersionedIndex.swap(client, state, next);
                    cli.err().println(settings.index() + " now points at " + next);
                } finally {
                    if (paused) {
                        Http.asOperator(PipelineService.ES_SINK, settings, "POST", "/control/resume");
                    }
                }
                // A sink that could not be paused may have written to the old index until the swap: those too.
                copy(rebuild, rebuild.ends(), "records written meanwhile");
                cli.out().println(Output.write(Map.of("alias", settings.index(), "index", next, "previous", state.target(),
                        "documents_written", rebuild.written(), "previous_dropped", dropOld)));
            }
            if (dropOld) {
                SearchClient.Answer dropped = client.send("DELETE", "/" + state.target(), null);
                cli.err().println(dropped.ok() ? "deleted " + state.target() : "could not delete " + state.target() + ": " + dropped.error());
            }
        }
        return 0;
    }

    private void copy(IndexRebuild rebuild, Map<TopicPartition, Long> ends, String what) throws IOException {
        long total = rebuild.remainingTo(ends);
        ProgressBar bar = new ProgressBar(cli.err(), what);
        rebuild.copyTo(ends, read -> bar.show(read, total, null));
        bar.show(total, total, null);
        bar.done();
    }

    /** Pauses the live sink for the swap; false (said) when it does not answer, as when it is stopped. */
    private boolean pauseSink(CliSettings settings) {
        try {
            HttpResponse<String> paused = Http.asOperator(PipelineService.ES_SINK, settings, "POST", "/control/pause");
            if (paused.statusCode() == 200) {
                cli.err().println("es-sink-service paused for the swap");
                return true;
            }
            cli.err().println("es-sink-service did not pause (" + paused.statusCode() + "): the rebuild catches up after the swap");
        } catch (CliException e) {
            cli.err().println(e.getMessage() + ": assuming it is stopped; the rebuild catches up after the swap");
        }
        return false;
    }

    /** The new index's body: the given file's, or the pipeline's own mapping. */
    private Map<String, Object> body() throws IOException {
        if (mapping == null) {
            return Map.of("mappings", ShippedOrderDocument.mapping());
        }
        Map<String, Object> given;
        try {
            given = RecordJson.JSON.readValue(Files.readString(mapping), new TypeReference<>() { });
        } catch (IOException e) {
            throw new CliException("cannot read the mapping " + mapping + ": " + e.getMessage());
        }
        return given.containsKey("mappings") || given.containsKey("settings") ? given : Map.of("mappings", given);
    }
}
