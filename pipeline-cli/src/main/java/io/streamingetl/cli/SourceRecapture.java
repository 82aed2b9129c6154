package io.streamingetl.cli;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamingetl.cli.PipelineCli.CliException;
import io.streamingetl.contract.DeadLetterHeaders;
import io.streamingetl.contract.PipelineService;
import io.streamingetl.contract.Topics;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Capture-stage dead letters replayed by reading their rows or documents again: their keys (Debezium's, as JSON)
 * become one incremental snapshot's condition, asked of the CDC service that captures the table or collection,
 * so what arrives is the source as it is now, through the capture's current mapping and limits.
 */
final class SourceRecapture {
    private final CliSettings settings;
    private final String collection;
    private final PipelineService service;
    private final Set<String> ids = new LinkedHashSet<>();

    SourceRecapture(CliSettings settings, String pipelineTopic) {
        this.settings = settings;
        if (pipelineTopic.equals(settings.topicName(Topics.CUSTOMERS))) {
            collection = "customers";
        } else if (pipelineTopic.equals(settings.topicName(Topics.ORDERS))) {
            collection = "orders";
        } else if (pipelineTopic.equals(settings.topicName(Topics.SHIPMENTS))) {
            collection = "shipments";
        } else {
            collection = null;
        }
        service = collection == null ? null : SnapshotCommand.CAPTURED_BY.get(collection);
    }

    /** A capture service's dead letter: its source partition is Debezium's, not a Kafka partition number. */
    static boolean isCaptureStage(ConsumerRecord<byte[], byte[]> record) {
        String partition = DeadLetterHeaders.header(record.headers(), DeadLetterHeaders.SOURCE_PARTITION);
        return partition != null && !partition.matches("\\d+");
    }

    /** Takes the id out of the dead letter's key ({@code {"id": ...}}, as Debezium keys a row or a document). */
    void add(ConsumerRecord<byte[], byte[]> record) {
        if (collection == null) {
            throw new CliException("a capture-stage dead letter on a topic no capture writes: " + record.topic());
        }
        try {
            JsonNode id = RecordJson.JSON.readTree(record.key()).path("id");
            if (id.isMissingNode()) {
                throw new CliException("offset " + record.offset() + "'s key has no id to re-capture: " + new String(record.key(),
                        StandardCharsets.UTF_8));
            }
            ids.add(id.asText());
        } catch (IOException e) {
            throw new CliException("offset " + record.offset() + "'s key is not Debezium's JSON: " + e.getMessage());
        }
    }

    int rows() {
        return ids.size();
    }

    /** Asks for the snapshot of those rows (not waiting for it); what to tell the operator. */
    List<String> request() {
        if (ids.isEmpty()) {
            return List.of();
        }
        String where = condition();
        try {
            SnapshotCommand.ask(settings, collection, where, "re-capture " + ids.size() + " rows of " + collection);
        } catch (IOException e) {
            throw new CliException(service.serviceName() + " answered what is not JSON: " + e.getMessage());
        }
        List<String> said = new ArrayList<>();
        said.add("re-capturing " + ids.size() + " rows of " + collection + " through " + service.serviceName()
                + " (./pipeline status shows its progress): " + where);
        return said;
    }

    /** SQL for the customers table; for a collection, a MongoDB query on {@code _id} (Debezium keeps it as JSON). */
    String condition() {
        if (service == PipelineService.CUSTOMERS_CDC) {
            return "id IN (" + ids.stream().map(id -> "'" + id.replace("'", "''") + "'").collect(Collectors.joining(", ")) + ")";
        }
        return "{\"_id\": {\"$in\": [" + ids.stream().map(SourceRecapture::mongoId).collect(Collectors.joining(", ")) + "]}}";
    }

    /** An id as Debezium's key holds it: extended JSON, or the hex of an ObjectId (matched as one, or as a string). */
    private static String mongoId(String id) {
        String trimmed = id.strip();
        if (trimmed.startsWith("{") || trimmed.startsWith("\"") || trimmed.matches("-?\\d+")) {
            return trimmed;
        }
        String text = RecordJson.JSON.getNodeFactory().textNode(id).toString();
        return trimmed.matches("[0-9a-f]{24}") ? "{\"$oid\": " + text + "}, " + text : text;
    }

}
