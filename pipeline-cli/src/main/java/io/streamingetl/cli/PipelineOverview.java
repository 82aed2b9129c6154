package io.streamingetl.cli;

import io.streamingetl.contract.PipelineService;
import io.streamingetl.contract.Topics;
import io.streamingetl.search.SearchClient;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The whole pipeline at a glance, as the live page shows it: each service's {@code /status}, each topic's records
 * and dead letters (read, so transaction markers do not count), the index's documents, and each Streams service's
 * topology as Kafka Streams describes it.
 */
final class PipelineOverview implements AutoCloseable {
    private final CliSettings settings;
    private final RecordCounter counter;

    PipelineOverview(CliSettings settings) {
        this.settings = settings;
        this.counter = new RecordCounter(settings);
    }



    /** One at a time: the record counter reads on from the last call. */
    synchronized Map<String, Object> now() {
        Map<String, Object> overview = new LinkedHashMap<>();
        List<Map<String, Object>> services = new ArrayList<>();
        settings.services().forEach((service, url) -> services.add(StatusCommand.statusOf(service, url)));
        overview.put("services", services);
        overview.put("topics", topics());
        overview.put("index", index());
        Map<String, String> topologies = new LinkedHashMap<>();
        for (PipelineService streams : List.of(PipelineService.ENRICHMENT, PipelineService.SHIPMENT_JOIN)) {
            HttpResponse<String> topology = Http.tryGet(settings.services().get(streams), "/topology");
            topologies.put(streams.serviceName(), topology != null && topology.statusCode() == 200 ? topology.body().strip()
                    : "(" + streams.serviceName() + " does not answer)");
        }
        overview.put("topologies", topologies);
        return overview;
    }

    private List<Map<String, Object>> topics() {
        List<Map<String, Object>> topics = new ArrayList<>();
        try {
            Map<String, Long> records = counter.count(settings.allTopicNames());
            for (String topic : settings.topics().stream().map(t -> t.name()).toList()) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("topic", topic);
                row.put("records", records.get(topic));
                row.put("dead_letters", records.getOrDefault(Topics.deadLetterOf(topic), 0L));
                topics.add(row);
            }
        } catch (RuntimeException e) {
            topics.add(Map.of("topic", "(Kafka)", "error", String.valueOf(e.getMessage())));
        }
        return topics;
    }

    private Map<String, Object> index() {
        Map<String, Object> index = new LinkedHashMap<>();
        index.put("name", settings.index());
        try (SearchClient client = SearchClient.connect(settings.search())) {
            SearchClient.Answer count = client.get("/" + settings.index() + "/_count");
            index.put("documents", count.ok() ? count.json().path("count").asLong() : null);
            if (!count.ok()) {
                index.put("error", count.error());
            }
        } catch (IOException e) {
            index.put("documents", null);
            index.put("error", "the search engine does not answer at " + settings.search().url() + ": " + e.getMessage());
        }
        return index;
    }

    @Override
    public void close() {
        counter.close();
    }
}
