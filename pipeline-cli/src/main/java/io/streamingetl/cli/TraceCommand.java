package io.streamingetl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamingetl.contract.DeadLetterHeaders;
import io.streamingetl.contract.EventTime;
import io.streamingetl.contract.PipelineService;
import io.streamingetl.contract.Topic;
import io.streamingetl.contract.Topics;
import io.streamingetl.runtime.PrometheusText;
import io.streamingetl.search.SearchClient;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * One order followed through the pipeline: every record of it on every topic (by key, or by the order id in the
 * value where a topic is keyed otherwise, as shipments and dead letters are), the customer it was joined with, its
 * document, and one line saying why the document is what it is ({@link TraceVerdict}).
 */
@Command(name = "trace", description = "Every record of an order on every topic (orders, shipments, enriched_orders, "
        + "the join's repartition topic, shipped_orders, each .dlq with its reason), the customer it was joined with, "
        + "its document in the index, and one line saying why the document is what it is or why it is missing.")
final class TraceCommand implements Runnable {
    private static final Duration JOIN_WINDOW = Duration.ofDays(7);

    @ParentCommand
    private PipelineCli cli;

    @Mixin
    private Output output;

    @Parameters(paramLabel = "<order-id>", description = "the order's id (order_id)")
    private String orderId;

    @Option(names = "--window", paramLabel = "DAYS", description = "the join's window in days (7, the contract's)")
    private long windowDays = JOIN_WINDOW.toDays();

    /** A record found, decoded, with its dead-letter headers when it is one. */
    private record Found(ConsumerRecord<byte[], byte[]> record, ObjectNode json) {
    }

    @Override
    public void run() {
        CliSettings settings = cli.settings();
        List<String> topics = topicsInFlowOrder(settings);
        Map<String, List<Found>> found = new LinkedHashMap<>();
        Pattern inValue = Pattern.compile("\\\\?\"(?:order_id|O_ORDER_ID|ORDER_ID)\\\\?\"\\s*:\\s*\\\\?\"?" + Pattern.quote(orderId)
                + "(?![0-9A-Za-z_-])");
        try (KafkaConsumer<byte[], byte[]> consumer = Kafka.consumer(settings, null)) {
            for (String topic : topics) {
                found.put(topic, read(consumer, topic, inValue));
            }
        }
        ObjectNode trace = RecordJson.JSON.createObjectNode();
        trace.put("order_id", orderId);
        ObjectNode records = trace.putObject("records");
        found.forEach((topic, list) -> {
            ArrayNode array = records.putArray(topic);
            list.forEach(f -> array.add(f.json()));
        });
        JsonNode customer = customer(settings, last(found, settings.topicName(Topics.ENRICHED_ORDERS)));
        trace.set("customer", customer);
        JsonNode document = document(settings);
        trace.set("document", document);
        TraceVerdict verdict = verdict(settings, found, document);
        trace.put("verdict", verdict.explain());
        if (output.json()) {
            cli.out().println(Output.write(trace));
            return;
        }
        found.forEach((topic, list) -> {
            cli.out().println(topic + ": " + (list.isEmpty() ? "-" : list.size() + " record(s)"));
            list.forEach(f -> cli.out().println("  " + RecordJson.line(f.json())));
        });
        cli.out().println("customer: " + (customer.isMissingNode() ? "-" : customer));
        cli.out().println("document in " + settings.index() + ": " + (document.isMissingNode() ? "none" : document));
        cli.out().println("why: " + verdict.explain());
    }

    /** The source topics, the Streams services' outputs and the join's repartition topics, each followed by its .dlq. */
    private static List<String> topicsInFlowOrder(CliSettings settings) {
        Set<String> existing;
        try (Admin admin = Kafka.admin(settings)) {
            existing = Kafka.get(admin.listTopics().names(), settings);
        }
        String join = settings.applicationIds().get(PipelineService.SHIPMENT_JOIN);
        List<String> topics = new ArrayList<>();
        for (Topic<String, ?> topic : List.of(Topics.ORDERS, Topics.SHIPMENTS, Topics.ENRICHED_ORDERS)) {
            topics.add(settings.topicName(topic));
            topics.add(Topics.deadLetterOf(settings.topicName(topic)));
        }
        existing.stream().filter(t -> t.startsWith(join + "-") && t.endsWith("-repartition")).sorted().forEach(topics::add);
        topics.add(settings.topicName(Topics.SHIPPED_ORDERS));
        topics.add(Topics.deadLetterOf(settings.topicName(Topics.SHIPPED_ORDERS)));
        return topics.stream().filter(existing::contains).toList();
    }

    /** The records of the order on {@code topic}, read from its start to its end. */
    private List<Found> read(KafkaConsumer<byte[], byte[]> consumer, String topic, Pattern inValue) {
        List<TopicPartition> partitions = Kafka.assignAll(consumer, topic);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        List<Found> found = new ArrayList<>();
        boolean deadLetter = topic.endsWith(Topics.DEAD_LETTER_SUFFIX);
        // Shipments are keyed by shipment id and dead letters by their source's key: those are searched by value.
        boolean keyedByOrder = !deadLetter && !topic.equals(cli.settings().topicName(Topics.SHIPMENTS));
        while (!Kafka.atEnd(consumer, ends)) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
                if (key.equals(orderId) || !keyedByOrder && (inValue.matcher(record.value() == null ? ""
                        : new String(record.value(), StandardCharsets.UTF_8)).find() || inValue.matcher(decoded(record)).find())) {
                    found.add(new Found(record, deadLetter ? DlqCommand.describe(record, cli.settings().values())
                            : RecordJson.of(record, cli.settings().values())));
                }
            }
        }
        return found;
    }

    /** A value as JSON text, for topics keyed by something else (shipments by shipment id); "" when undecodable. */
    private String decoded(ConsumerRecord<byte[], byte[]> record) {
        try {
            String json = cli.settings().values().deserialize(record.topic(), record.value());
            return json == null ? "" : json;
        } catch (RuntimeException e) {
            return "";
        }
    }

    private static Found last(Map<String, List<Found>> found, String topic) {
        List<Found> list = found.getOrDefault(topic, List.of());
        return list.isEmpty() ? null : list.get(list.size() - 1);
    }

    /** The customer the last enriched record names, as enrichment-service knows it now; missing when it cannot say. */
    private static JsonNode customer(CliSettings settings, Found enriched) {
        if (enriched == null || enriched.json().path("value").path("customer_id").isMissingNode()) {
            return RecordJson.JSON.missingNode();
        }
        String id = enriched.json().path("value").path("customer_id").asText();
        try {
            HttpResponse<String> answer = Http.asOperator(PipelineService.ENRICHMENT, settings, "GET",
                    "/customers/" + URLEncoder.encode(id, StandardCharsets.UTF_8));
            return answer.statusCode() == 200 ? RecordJson.JSON.readTree(answer.body())
                    : RecordJson.JSON.getNodeFactory().textNode("customer " + id + ": enrichment-service answered " + answer.statusCode());
        } catch (IOException | RuntimeException e) {
            return RecordJson.JSON.getNodeFactory().textNode("customer " + id + ": " + e.getMessage());
        }
    }

    /** The order's document in the index (its _source), missing when there is none. */
    private JsonNode document(CliSettings settings) {
        try (SearchClient client = SearchClient.connect(settings.search())) {
            SearchClient.Answer answer = client.get("/" + settings.index() + "/_doc/" + URLEncoder.encode(orderId, StandardCharsets.UTF_8));
            return answer.ok() ? answer.json().path("_source") : RecordJson.JSON.missingNode();
        } catch (IOException e) {
            cli.err().println("the search engine does not answer at " + settings.search().url() + " (ES_URL): " + e.getMessage());
            return RecordJson.JSON.missingNode();
        }
    }

    private TraceVerdict verdict(CliSettings settings, Map<String, List<Found>> found, JsonNode document) {
        TraceVerdict.DeadLetter deadLetter = null;
        for (Map.Entry<String, List<Found>> topic : found.entrySet()) {
            if (topic.getKey().endsWith(Topics.DEAD_LETTER_SUFFIX) && !topic.getValue().isEmpty()) {
                ConsumerRecord<byte[], byte[]> record = topic.getValue().get(topic.getValue().size() - 1).record();
                deadLetter = new TraceVerdict.DeadLetter(topic.getKey(),
                        DeadLetterHeaders.header(record.headers(), DeadLetterHeaders.STAGE),
                        DeadLetterHeaders.header(record.headers(), DeadLetterHeaders.ERROR_MESSAGE));
            }
        }
        Found shipped = last(found, settings.topicName(Topics.SHIPPED_ORDERS));
        TraceVerdict.Document indexed = document.isMissingNode() ? null : new TraceVerdict.Document(settings.index(),
                shipped != null && sameFields(document, shipped.json().path("value")));
        return new TraceVerdict(orderId, stage(last(found, settings.topicName(Topics.ORDERS))),
                stage(last(found, settings.topicName(Topics.ENRICHED_ORDERS))), stage(last(found, settings.topicName(Topics.SHIPMENTS))),
                stage(shipped), deadLetter, indexed, sinkHeldBecause(settings), joinLateRecords(settings), Duration.ofDays(windowDays));
    }

    /** The document's fields are the shipped order's, upper-cased as the index has them (ksqlDB's column names). */
    private static boolean sameFields(JsonNode document, JsonNode shippedOrder) {
        Map<String, String> fromOrder = new LinkedHashMap<>();
        shippedOrder.fields().forEachRemaining(e -> fromOrder.put(e.getKey().toUpperCase(), e.getValue().asText()));
        return fromOrder.entrySet().stream().allMatch(e -> {
            JsonNode field = document.get(e.getKey().equals("ORDER_ID") ? "O_ORDER_ID" : e.getKey());
            return field == null || field.asText().equals(e.getValue());
        });
    }

    private static TraceVerdict.Stage stage(Found found) {
        if (found == null) {
            return null;
        }
        Instant eventTime = null;
        try {
            eventTime = EventTime.parse(found.json().path("value").path("ts").asText(null));
        } catch (RuntimeException e) {
            // No event time: a shipped order carries none.
        }
        return new TraceVerdict.Stage(found.record().topic(), found.record().offset(), eventTime);
    }

    /** Why the sink holds writes back (paused, not ready, behind), from its /status; null when it writes. */
    private static String sinkHeldBecause(CliSettings settings) {
        Map<String, Object> status = StatusCommand.statusOf(PipelineService.ES_SINK, settings.services().get(PipelineService.ES_SINK));
        if (!Boolean.TRUE.equals(status.get("ready"))) {
            return String.valueOf(status.get("reason"));
        }
        return status.get("consumer_lag") instanceof Number lag && lag.longValue() > 0 ? "it is " + lag + " records behind" : null;
    }

    private static long joinLateRecords(CliSettings settings) {
        HttpResponse<String> metrics = Http.tryGet(settings.services().get(PipelineService.SHIPMENT_JOIN), "/metrics");
        return metrics == null ? 0 : (long) PrometheusText.sum(metrics.body(), "kafka_stream_shipment_join_late_records_total");
    }
}
