package io.streamingetl.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamingetl.contract.PipelineService;
import io.streamingetl.contract.Topics;
import io.streamingetl.harness.CustomerTableProbe;
import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.harness.ServiceProcess;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.search.SearchClient;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a backfill waits for, each polled until it holds: an incremental snapshot asked and ended (the CDC service's
 * {@code /status}), enrichment's customer table holding every customer, the index holding every backfilled document.
 */
final class BackfillWaits {
    static final Duration BACKFILL_TIMEOUT = Duration.ofHours(3);
    private static final Duration POLL = Duration.ofSeconds(1);

    private final String searchUrl;
    private final BackfillData data;
    private final BenchmarkResults results;

    BackfillWaits(String searchUrl, BackfillData data, BenchmarkResults results) {
        this.searchUrl = searchUrl;
        this.data = data;
        this.results = results;
    }

    /** The backfilled documents the index holds (order ids starting with {@link BackfillData#ORDER_PREFIX}). */
    long backfilled(String index) {
        HttpProbe.Answer answer = HttpProbe.postJson(searchUrl + "/" + index + "/_count",
                "{\"query\": {\"prefix\": {\"O_ORDER_ID\": \"" + BackfillData.ORDER_PREFIX + "\"}}}");
        if (answer.status() != 200) {
            throw new IllegalStateException("_count answered " + answer.status() + ": " + answer.body());
        }
        try {
            return SearchClient.JSON.readTree(answer.body()).path("count").asLong();
        } catch (IOException e) {
            throw new IllegalStateException("_count answered no JSON: " + answer.body(), e);
        }
    }

    /** Asks the CDC service for an incremental snapshot of {@code collection} and follows its /status until it ends. */
    Map<String, Object> snapshot(LocalPipeline pipeline, PipelineService service, String collection, long started)
            throws Exception {
        ServiceProcess process = pipeline.service(service.serviceName());
        String base = "http://127.0.0.1:" + process.httpPort();
        long asked = System.nanoTime();
        HttpProbe.Answer answer = HttpProbe.post(base + "/snapshot?collection=" + collection,
                Map.of("Authorization", "Bearer " + pipeline.opsToken()));
        if (answer.status() != 202) {
            throw new IllegalStateException(service.serviceName() + " did not start the snapshot of " + collection + " ("
                    + answer.status() + "): " + answer.body());
        }
        JsonNode request = SearchClient.JSON.readTree(answer.body());
        String id = request.path("id").asText();
        // Debezium's rows scanned add up over the snapshots of one engine: the source's own count is this one's.
        long rows = request.path("rows_total").asLong();
        LocalPipeline.say("backfill: incremental snapshot of " + collection + " asked of " + service.serviceName());
        long deadline = asked + BACKFILL_TIMEOUT.toNanos();
        long lastSaid = 0;
        while (System.nanoTime() < deadline) {
            JsonNode snapshot = SearchClient.JSON.readTree(HttpProbe.get(base + "/status").body()).path("snapshot");
            String state = snapshot.path("state").asText();
            if (id.equals(snapshot.path("id").asText()) && List.of("completed", "aborted", "failed").contains(state)) {
                if (!state.equals("completed")) {
                    throw new IllegalStateException("the snapshot of " + collection + " " + state + ": " + snapshot);
                }
                double took = seconds(System.nanoTime() - asked);
                results.add("backfill: " + service.serviceName() + "'s incremental snapshot of " + collection, String.format(
                        "%,d rows in %.0f s = %,.0f rows/s, from %.0f s after the start", rows, took, rows / Math.max(took, 1e-3),
                        seconds(asked - started)));
                Map<String, Object> figures = new LinkedHashMap<>();
                figures.put("rows", rows);
                figures.put("seconds", took);
                figures.put("began_s", seconds(asked - started));
                return figures;
            }
            if (System.nanoTime() - lastSaid > 30e9) {
                lastSaid = System.nanoTime();
                LocalPipeline.say(String.format("backfill: %s's snapshot of %s %s, %,d rows read; %s", service.serviceName(),
                        collection, state, snapshot.path("rows_scanned").asLong(), pipeline.progress()));
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IllegalStateException("the snapshot of " + collection + " did not end within " + BACKFILL_TIMEOUT);
    }

    /**
     * Until enrichment-service's customer table holds every customer: the topic holds them all, and the table knows a
     * customer of every thousandth, the last and the live load's.
     */
    void awaitCustomerTable(LocalPipeline pipeline) throws InterruptedException {
        long all = data.customers() + BackfillData.LIVE_CUSTOMERS;
        if (!pipeline.awaitCount(pipeline.topic(Topics.CUSTOMERS), all, BACKFILL_TIMEOUT)) {
            throw new IllegalStateException("the customers topic did not reach " + all + " records");
        }
        List<String> sample = new ArrayList<>();
        for (long c = 0; c < data.customers(); c += Math.max(1, data.customers() / 1000)) {
            sample.add(BackfillData.customerId(c));
        }
        sample.add(BackfillData.customerId(data.customers() - 1));
        sample.add("live-c" + (BackfillData.LIVE_CUSTOMERS - 1));
        String enrichment = "http://127.0.0.1:" + pipeline.service(PipelineService.ENRICHMENT.serviceName()).httpPort();
        if (!new CustomerTableProbe(enrichment).awaitKnown(sample, BACKFILL_TIMEOUT)) {
            throw new IllegalStateException("enrichment's customer table did not hold every customer");
        }
    }

    /** Until the index holds {@code expected} backfilled documents; when it did. */
    long awaitIndexed(String index, long expected, long started) throws InterruptedException {
        long deadline = System.nanoTime() + BACKFILL_TIMEOUT.toNanos();
        long lastSaid = 0;
        while (System.nanoTime() < deadline) {
            long indexed;
            try {
                indexed = backfilled(index);
            } catch (RuntimeException e) {
                indexed = -1;
            }
            if (indexed >= expected) {
                return System.nanoTime();
            }
            if (System.nanoTime() - lastSaid > 30e9) {
                lastSaid = System.nanoTime();
                LocalPipeline.say(String.format("backfill: %,d of %,d documents indexed after %.0f s", indexed, expected,
                        seconds(System.nanoTime() - started)));
            }
            Thread.sleep(POLL.toMillis());
        }
        throw new IllegalStateException("the index did not hold " + expected + " backfilled documents within " + BACKFILL_TIMEOUT);
    }

    private static double seconds(long nanos) {
        return Math.round(nanos / 1e8) / 10.0;
    }
}
