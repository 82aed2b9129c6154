package io.streamingetl.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.streamingetl.contract.AvroJsonDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/** A record as one line of JSON, its value decoded with the schema version that wrote it. */
final class RecordJson {
    static final ObjectMapper JSON = new ObjectMapper();

    private RecordJson() {
    }

    static ObjectNode of(ConsumerRecord<byte[], byte[]> record, AvroJsonDeserializer values) {
        ObjectNode line = JSON.createObjectNode();
        line.put("topic", record.topic());
        line.put("partition", record.partition());
        line.put("offset", record.offset());
        line.put("timestamp", Instant.ofEpochMilli(record.timestamp()).toString());
        line.put("key", record.key() == null ? null : new String(record.key(), StandardCharsets.UTF_8));
        line.set("value", value(values.deserialize(record.topic(), record.value())));
        if (record.headers().toArray().length > 0) {
            ObjectNode headers = line.putObject("headers");
            for (Header header : record.headers()) {
                headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
            }
        }
        return line;
    }

    private static JsonNode value(String json) {
        try {
            JsonNode value = json == null ? JSON.nullNode() : JSON.readTree(json);
            // A captured change kept as JSON text (a capture-stage dead letter) is shown as the JSON it is.
            if (value.isTextual() && value.asText().startsWith("{")) {
                try {
                    return JSON.readTree(value.asText());
                } catch (JsonProcessingException notJson) {
                    return value;
                }
            }
            return value;
        } catch (JsonProcessingException e) {
            return JSON.getNodeFactory().textNode(json);
        }
    }

    static String line(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
