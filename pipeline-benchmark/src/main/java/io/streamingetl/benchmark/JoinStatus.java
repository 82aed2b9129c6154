package io.streamingetl.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamingetl.harness.ServiceProcess;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.search.SearchClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What a shipment-join-service instance says of its tasks and stores: its {@code /status} and {@code /topology}. */
final class JoinStatus {
    private static final Pattern SUB_TOPOLOGY = Pattern.compile("Sub-topology: (\\d+)");

    private JoinStatus() {
    }

    static JsonNode of(ServiceProcess service) {
        try {
            return SearchClient.JSON.readTree(HttpProbe.get("http://127.0.0.1:" + service.httpPort() + "/status").body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether any of its stores is still restoring. */
    static boolean restoring(JsonNode status) {
        for (JsonNode store : status.path("stores")) {
            if (!store.path("restoration").path("done").asBoolean(true)) {
                return true;
            }
        }
        return false;
    }

    /** The join's active tasks in a /status: those of its stateful sub-topology. */
    static List<String> tasks(JsonNode status, String subTopology) {
        List<String> tasks = new ArrayList<>();
        status.path("active_tasks").forEach(task -> {
            if (task.asText().startsWith(subTopology + "_")) {
                tasks.add(task.asText());
            }
        });
        return tasks;
    }

    /** The sub-topology holding the join's stores, from Kafka Streams' own description on {@code /topology}. */
    static String subTopology(ServiceProcess join) {
        String description = HttpProbe.get("http://127.0.0.1:" + join.httpPort() + "/topology").body();
        String current = null;
        for (String line : description.split("\n")) {
            Matcher sub = SUB_TOPOLOGY.matcher(line);
            if (sub.find()) {
                current = sub.group(1);
            } else if (line.contains("join-store") && current != null) {
                return current;
            }
        }
        throw new IllegalStateException("no sub-topology with the join's stores in " + description);
    }
}
