package io.streamingetl.cdc;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.streamingetl.runtime.OpsServer.Answer;
import io.streamingetl.runtime.OpsServer.Request;
import io.streamingetl.runtime.SafeText;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /snapshot?collection=<name>[&where=<condition>]}: an incremental snapshot of one table (collection),
 * asked of Debezium through the operator's own signal channel ({@link OperatorSignals}: the {@code execute-snapshot}
 * signal, with {@code additional-conditions} for {@code where}) while capture keeps streaming; Debezium's
 * watermarks keep a row read by the snapshot from overtaking a newer change of it.
 */
final class IncrementalSnapshots {
    private static final Logger LOG = LoggerFactory.getLogger(IncrementalSnapshots.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String service;
    private final String logicalName;
    private final SnapshotSource source;
    private final SnapshotProgress progress;

    IncrementalSnapshots(String service, String logicalName, SnapshotSource source, SnapshotProgress progress) {
        this.service = service;
        this.logicalName = logicalName;
        this.source = source;
        this.progress = progress;
    }

    Answer request(Request request) throws Exception {
        Map<String, String> query = query(request.query());
        String name = query.getOrDefault("collection", "");
        String dataCollection = source.collections().getOrDefault(name,
                source.collections().containsValue(name) ? name : null);
        if (dataCollection == null) {
            return Answer.error(400, service + " captures no collection '" + name + "'; one of " + source.collections().keySet());
        }
        if (progress.running()) {
            return Answer.error(409, "a snapshot is under way (" + progress.status() + "); wait for it to end");
        }
        String where = query.get("where");
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("data-collections", List.of(dataCollection));
        data.put("type", "INCREMENTAL");
        if (where != null && !where.isBlank()) {
            try {
                data.put("additional-conditions", List.of(Map.of("data-collection", dataCollection,
                        "filter", source.condition(dataCollection, where))));
            } catch (IllegalArgumentException e) {
                return Answer.error(400, "the condition '" + where + "' is not one " + service + " can use: " + e.getMessage());
            }
        }
        String id = "snapshot-" + UUID.randomUUID();
        long rows;
        try {
            rows = source.count(dataCollection, where == null || where.isBlank() ? null : where);
        } catch (IllegalArgumentException e) {
            return Answer.error(400, "the condition '" + where + "' is not one " + service + " can use: " + e.getMessage());
        }
        progress.requested(id, List.of(dataCollection), rows);
        OperatorSignals.send(logicalName, id, "execute-snapshot", JSON.writeValueAsString(data));
        LOG.info("{}: incremental snapshot {} of {}{} asked for ({} rows)", service, id, dataCollection,
                where == null ? "" : " where " + SafeText.of(where), rows);
        return Answer.json(202, progress.status());
    }

    private static Map<String, String> query(String query) {
        Map<String, String> values = new LinkedHashMap<>();
        if (query != null) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    values.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return values;
    }
}
