package io.streamingetl.cli;

import com.fasterxml.jackson.core.type.TypeReference;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamingetl.cli.PipelineCli.CliException;
import io.streamingetl.contract.ShippedOrderDocument;
import io.streamingetl.runtime.DeadLetterWriter;
import io.streamingetl.runtime.DeadLetters;
import io.streamingetl.search.SearchClient;
import io.streamingetl.search.VersionedIndex;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * The index rebuilt with no gap, as Elasticsearch and OpenSearch users change a mapping: {@code <alias>_v<N+1>}
 * created like the current one ({@link IndexBlueprint}: its settings, its mapping or the given one) and filled from
 * the compacted topic while the live sink keeps writing the current one; then the live sink paused
 * ({@link SinkHold}: resumed however this ends), the rebuild caught up to the topic's end, its count checked against
 * the topic's documents, the documents the engine rejected dead-lettered, and the alias (with the old index's other
 * aliases) swapped in one {@code _aliases} call. A rebuild that fails before the swap deletes the index it created.
 */
@Command(name = "reindex", description = "Rebuild the index with no gap: <index>_v<N+1> with the current index's settings"
        + " and mapping (or --mapping), filled from the shipped_orders topic while the live sink goes on, checked, then the"
        + " alias swapped in one call. Documents the engine rejects are dead-lettered as the sink does. The old index stays"
        + " until --drop-old.")
final class ReindexCommand implements Callable<Integer> {
    @ParentCommand
    private PipelineCli cli;

    @Option(names = "--mapping", paramLabel = "<file>", description = "JSON: the index's mappings ({\"properties\": ...}),"
            + " or a whole index body ({\"mappings\": ..., \"settings\": ...}); the current index's by default")
    private Path mapping;

    @Option(names = "--pipeline-mapping", description = "the mapping of this version of the pipeline (a new document field)")
    private boolean pipelineMapping;

    @Option(names = "--max-rejected", paramLabel = "<n>", defaultValue = "100", description = "documents the engine may"
            + " reject (each dead-lettered) before the rebuild gives up (${DEFAULT-VALUE})")
    private int maxRejected;

    @Option(names = "--drop-old", description = "delete the index the alias pointed at, once it points at the new one")
    private boolean dropOld;

    @Override
    public Integer call() throws Exception {
        CliSettings settings = cli.settings();
        Map<String, Object> given = given();
        try (SearchClient client = SearchClient.connect(settings.search())) {
            String engine = client.detect().name();
            VersionedIndex.State state = VersionedIndex.describe(client, settings.index());
            if (state == null) {
                throw new CliException("no index or alias " + settings.index() + " at " + settings.search().url()
                        + " (ES_URL, ES_INDEX): es-sink-service creates it at its start");
            }
            IndexBlueprint blueprint = IndexBlueprint.of(client, state, given);
            String next = state.next();
            if (!VersionedIndex.createWith(client, next, blueprint.body())) {
                throw new CliException(next + " exists already (left by a reindex that did not finish?): delete it, or point "
                        + settings.index() + " at it, and run reindex again");
            }
            cli.err().println("building " + next + " from " + settings.shippedOrders().name() + " while "
                    + settings.index() + " (" + state.target() + ") stays live");
            Map<String, Object> result;
            try {
                result = rebuild(settings, client, engine, state, next, blueprint);
            } catch (Exception e) {
                throw new CliException(e.getMessage() + "; " + dropUnfinished(client, next, state));
            }
            cli.out().println(Output.write(result));
            if (dropOld) {
                SearchClient.Answer dropped = client.send("DELETE", "/" + state.target(), null);
                cli.err().println(dropped.ok() ? "deleted " + state.target() : "could not delete " + state.target() + ": " + dropped.error());
            }
        }
        return 0;
    }

    /** Fills {@code next}, holds the sink, catches up, checks, dead-letters the rejected, swaps; what it did. */
    private Map<String, Object> rebuild(CliSettings settings, SearchClient client, String engine, VersionedIndex.State state,
                                        String next, IndexBlueprint blueprint) throws IOException {
        try (IndexRebuild rebuild = new IndexRebuild(settings, client, next, engine, maxRejected)) {
            copy(rebuild, rebuild.ends(), "records");
            try (SinkHold hold = SinkHold.pause(settings, cli.err(), "./pipeline reindex")) {
                copy(rebuild, rebuild.ends(), "records since");
                client.send("POST", "/" + next + "/_refresh", null);
                requireEveryDocument(client, next, rebuild, state);
                if (!rebuild.rejected().isEmpty()) {
                    try (KafkaProducer<byte[], byte[]> producer = Kafka.producer(settings)) {
                        rebuild.deadLetterRejected(new DeadLetterWriter(producer, new DeadLetters(new SimpleMeterRegistry())));
                    }
                    cli.err().println(rebuild.rejected().size() + " documents " + engine + " rejected dead-lettered to "
                            + settings.shippedOrders().deadLetters() + " (./pipeline dlq " + settings.shippedOrders().name() + ")");
                }
                VersionedIndex.swap(client, state, next, blueprint.otherAliases());
                cli.err().println(settings.index() + " now points at " + next
                        + (blueprint.otherAliases().isEmpty() ? "" : ", and so do " + blueprint.otherAliases().keySet()));
            }
            // A sink that was not paused may have written to the old index until the swap: those too.
            copy(rebuild, rebuild.ends(), "records written meanwhile");
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("alias", settings.index());
            result.put("index", next);
            result.put("previous", state.target());
            result.put("documents_written", rebuild.written());
            result.put("documents_rejected", rebuild.rejected().size());
            result.put("previous_dropped", dropOld);
            return result;
        }
    }

    /** Refuses the swap when the new index holds fewer documents than the topic makes (the rejected aside). */
    private static void requireEveryDocument(SearchClient client, String next, IndexRebuild rebuild, VersionedIndex.State state)
            throws IOException {
        SearchClient.Answer count = client.get("/" + next + "/_count");
        if (!count.ok()) {
            throw new IOException("counting " + next + " answered " + count.error());
        }
        long held = count.json().path("count").asLong();
        long expected = rebuild.liveKeys().expected();
        if (held < expected) {
            throw new IOException(next + " holds " + held + " documents where the topic makes " + expected + " (its keys"
                    + " whose newest record is no tombstone, less " + rebuild.liveKeys().rejected() + " rejected): the alias stays"
                    + " on " + state.target() + " rather than lose " + (expected - held) + " documents. Is another writer"
                    + " deleting from " + next + ", or its settings dropping documents?");
        }
    }

    /** Deletes the index this run created and did not swap in, so the next run can make it again; what was done. */
    private static String dropUnfinished(SearchClient client, String next, VersionedIndex.State state) {
        try {
            SearchClient.Answer deleted = client.send("DELETE", "/" + next, null);
            if (deleted.ok()) {
                return "deleted " + next + ", which this reindex had created; " + state.name() + " stays on " + state.target();
            }
            return next + " could not be deleted (" + deleted.error() + "): DELETE it before the next reindex";
        } catch (IOException e) {
            return next + " could not be deleted (" + e.getMessage() + "): DELETE it before the next reindex";
        }
    }

    private void copy(IndexRebuild rebuild, Map<TopicPartition, Long> ends, String what) throws IOException {
        long total = rebuild.remainingTo(ends);
        ProgressBar bar = new ProgressBar(cli.err(), what);
        rebuild.copyTo(ends, read -> bar.show(read, total, null));
        bar.show(total, total, null);
        bar.done();
    }

    /** What is given for the new index: the file's mappings and settings, the pipeline's own mapping, or nothing. */
    private Map<String, Object> given() throws IOException {
        if (pipelineMapping) {
            return Map.of("mappings", ShippedOrderDocument.mapping());
        }
        if (mapping == null) {
            return Map.of();
        }
        Map<String, Object> file;
        try {
            file = RecordJson.JSON.readValue(Files.readString(mapping), new TypeReference<>() { });
        } catch (IOException e) {
            throw new CliException("cannot read the mapping " + mapping + ": " + e.getMessage());
        }
        return file.containsKey("mappings") || file.containsKey("settings") ? file : Map.of("mappings", file);
    }
}
