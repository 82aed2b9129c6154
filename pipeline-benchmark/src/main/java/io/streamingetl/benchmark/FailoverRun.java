package io.streamingetl.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import io.streamingetl.contract.PipelineService;
import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.harness.ServiceProcess;
import io.streamingetl.localstack.Directories;
import io.streamingetl.localstack.EmbeddedEngines;
import io.streamingetl.localstack.FreePorts;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.runtime.SchemaRegistries;
import io.streamingetl.runtime.TopicAdmin;
import io.streamingetl.search.SearchClient;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * One failover: two shipment-join-service instances (a fresh application) read every order into the join's stores,
 * with {@code standby} standby replicas; once both are caught up (and each standby with its changelogs), the one
 * holding the more join tasks is killed (SIGKILL) while a trickle of pairs keeps both busy, its state directory is
 * deleted, and an order with its shipment is written to every partition. Timed from the kill: the survivor serving every join task, running, nothing left to
 * restore; each change indexed by an es-sink-service, as a search client's realtime get finds it.
 */
final class FailoverRun {
    private static final Duration CATCH_UP_TIMEOUT = Duration.ofHours(1);
    private static final Duration FAILOVER_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration POLL = Duration.ofMillis(100);
    /** Pairs a second written from a while before the kill to the end: the instances are busy, mid-transaction, when one dies. */
    private static final int TRICKLE_PER_SECOND = 20;
    private static final Duration TRICKLE_BEFORE_KILL = Duration.ofSeconds(5);

    private final EmbeddedEngines engines;
    private final Path root;
    private final Path workDir;
    private final JoinInput input;
    private final int standby;
    private final int sessionTimeoutMs;
    private final String application;

    FailoverRun(EmbeddedEngines engines, Path root, Path workDir, JoinInput input, int standby, int sessionTimeoutMs) {
        this.engines = engines;
        this.root = root;
        this.workDir = workDir;
        this.input = input;
        this.standby = standby;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.application = "failover-join-standby-" + standby;
    }

    /** Runs it, says its figures, and returns them for results.json. */
    Map<String, Object> run(BenchmarkResults results) throws Exception {
        String output = "failover.shipped-" + standby;
        String index = "failover_" + standby;
        TopicAdmin.ensureTopics(engines.kafkaBootstrapServers(), List.of(output), JoinInput.PARTITIONS, (short) 1);
        List<ServiceProcess> joins = new ArrayList<>();
        ServiceProcess sink = null;
        try {
            for (int i = 1; i <= 2; i++) {
                joins.add(service(PipelineService.SHIPMENT_JOIN, application + "-" + i, joinSettings(output, i)));
            }
            sink = service(PipelineService.ES_SINK, application + "-sink", Map.of("GROUP_ID", application + "-sink",
                    "SHIPPED_ORDERS_TOPIC", output, "ES_URL", engines.searchUrl(), "ES_INDEX", index));
            for (ServiceProcess process : List.of(joins.get(0), joins.get(1), sink)) {
                process.start();
            }
            for (ServiceProcess process : List.of(joins.get(0), joins.get(1), sink)) {
                process.awaitReady(Duration.ofMinutes(5));
            }
            String joinSubTopology = JoinStatus.subTopology(joins.get(0));
            long loading = System.nanoTime();
            awaitInputRead();
            double loadSeconds = (System.nanoTime() - loading) / 1e9;
            if (standby > 0) {
                for (ServiceProcess join : joins) {
                    awaitStandbysCaughtUp(join);
                }
            }
            long stateBytes = 0;
            for (int i = 1; i <= 2; i++) {
                stateBytes += StateSizes.onDisk(stateDir(i));
            }
            long changelogBytes = StateSizes.changelogs(engines.kafkaBootstrapServers(), application);
            results.add(label("the join's state"), String.format("%,d orders read in %.0f s; %,.0f MB on disk in both instances'"
                    + " state directories (standbys included), %,.0f MB of changelogs on the broker", input.count(), loadSeconds,
                    stateBytes / 1e6, changelogBytes / 1e6));

            ServiceProcess victim = joins.get(0);
            for (ServiceProcess join : joins) {
                if (JoinStatus.tasks(JoinStatus.of(join), joinSubTopology).size() > JoinStatus.tasks(JoinStatus.of(victim), joinSubTopology).size()) {
                    victim = join;
                }
            }
            ServiceProcess survivor = victim == joins.get(0) ? joins.get(1) : joins.get(0);
            Set<Integer> victimPartitions = new TreeSet<>();
            JoinStatus.tasks(JoinStatus.of(victim), joinSubTopology).forEach(task -> victimPartitions.add(Integer.parseInt(task.split("_")[1])));
            List<String> ids = JoinInput.orderIdPerPartition("after-kill-" + standby + "-");

            Map<String, Object> figures;
            try (AutoCloseable trickle = input.trickle("trickle-" + standby + "-", TRICKLE_PER_SECOND)) {
                Thread.sleep(TRICKLE_BEFORE_KILL.toMillis());
                victim.kill();
                long killed = System.nanoTime();
                Directories.deleteRecursively(stateDir(joins.indexOf(victim) + 1));
                input.writePairs(ids);
                figures = timeFailover(survivor, joinSubTopology, index, ids, victimPartitions, killed);
            }
            figures.put("join_state_bytes", stateBytes);
            figures.put("changelog_bytes", changelogBytes);
            figures.put("load_seconds", Math.round(loadSeconds));
            figures.put("load_average", FailoverBenchmark.loadAverage());
            results.add(label("failover"), String.format("survivor rebalancing after %s s, serving every partition after %s s"
                            + " (%s records restored in %s s);"
                            + " the first change after the kill on the killed instance's partitions %s indexed after %s s, all %d after %s s;"
                            + " load average %s", figures.get("rebalancing_s"), figures.get("served_s"), figures.get("records_restored"), figures.get("restore_s"),
                    victimPartitions, figures.get("first_change_indexed_s"), ids.size(), figures.get("all_changes_indexed_s"),
                    figures.get("load_average")));
            return figures;
        } finally {
            for (ServiceProcess join : joins) {
                join.stop();
            }
            if (sink != null) {
                sink.stop();
            }
        }
    }

    private String label(String what) {
        return "failover with NUM_STANDBY_REPLICAS=" + standby + ": " + what;
    }

    private Map<String, String> joinSettings(String output, int instance) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("APPLICATION_ID", application);
        settings.put("ENRICHED_ORDERS_TOPIC", JoinInput.ORDERS);
        settings.put("SHIPMENTS_TOPIC", JoinInput.SHIPMENTS);
        settings.put("SHIPPED_ORDERS_TOPIC", output);
        settings.put("STATE_DIR", stateDir(instance).toString());
        settings.put("NUM_STANDBY_REPLICAS", Integer.toString(standby));
        settings.put("KAFKA_CLIENT_SESSION_TIMEOUT_MS", Integer.toString(sessionTimeoutMs));
        settings.put("KAFKA_CLIENT_HEARTBEAT_INTERVAL_MS", Integer.toString(sessionTimeoutMs / 3));
        return settings;
    }

    private Path stateDir(int instance) {
        return workDir.resolve("state-" + application + "-" + instance);
    }

    private ServiceProcess service(PipelineService service, String name, Map<String, String> own) {
        Map<String, String> env = new HashMap<>(own);
        env.put("KAFKA_BOOTSTRAP_SERVERS", engines.kafkaBootstrapServers());
        env.put(SchemaRegistries.SCHEMA_REGISTRY_URL, engines.schemaRegistryUrl());
        env.put("TOPIC_PARTITIONS", Integer.toString(JoinInput.PARTITIONS));
        String jar = service.serviceName();
        return new ServiceProcess(name, root.resolve(jar).resolve("target").resolve(jar + ".jar"), env, FreePorts.next(),
                workDir.resolve("logs"));
    }

    /** Until the application's committed offsets reach the end of the orders topic: every order is in the join's state. */
    private void awaitInputRead() throws Exception {
        long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", engines.kafkaBootstrapServers()))) {
            Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < JoinInput.PARTITIONS; p++) {
                latest.put(new TopicPartition(JoinInput.ORDERS, p), OffsetSpec.latest());
            }
            Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends = admin.listOffsets(latest).all().get(1, TimeUnit.MINUTES);
            long last = -1;
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(application)
                        .partitionsToOffsetAndMetadata().get(1, TimeUnit.MINUTES);
                long behind = 0;
                for (var end : ends.entrySet()) {
                    OffsetAndMetadata at = committed.get(end.getKey());
                    behind += end.getValue().offset() - (at == null ? 0 : at.offset());
                }
                if (behind == 0) {
                    return;
                }
                if (last < 0 || behind / 100_000 != last / 100_000) {
                    LocalPipeline.say(label("") + String.format("%,d orders still to read", behind));
                }
                last = behind;
                Thread.sleep(1000);
            }
        }
        throw new IllegalStateException(application + " did not read every order within " + CATCH_UP_TIMEOUT.toMinutes() + " min");
    }

    /** Until every standby partition of the instance has loaded its changelog to the end. */
    private void awaitStandbysCaughtUp(ServiceProcess join) throws InterruptedException {
        long deadline = System.nanoTime() + CATCH_UP_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode stores = JoinStatus.of(join).path("stores");
            boolean caughtUp = stores.size() > 0;
            boolean any = false;
            for (JsonNode store : stores) {
                JsonNode copy = store.path("standby");
                if (!copy.isMissingNode()) {
                    any = true;
                    caughtUp &= copy.path("partitions_caught_up").asLong() == copy.path("partitions").asLong();
                }
            }
            if (any && caughtUp) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(join.name() + "'s standbys did not catch up within " + CATCH_UP_TIMEOUT.toMinutes() + " min");
    }

    /** Polls the survivor's /status and the index from the kill until both say the failover is over. */
    private Map<String, Object> timeFailover(ServiceProcess survivor, String joinSubTopology, String index, List<String> ids,
                                             Set<Integer> victimPartitions, long killed) throws InterruptedException {
        Map<String, Long> indexedAt = new HashMap<>();
        Long servedAt = null;
        Long rebalancingAt = null;
        JsonNode served = null;
        long deadline = killed + FAILOVER_TIMEOUT.toNanos();
        while ((servedAt == null || indexedAt.size() < ids.size()) && System.nanoTime() < deadline) {
            if (servedAt == null) {
                JsonNode status = JoinStatus.of(survivor);
                if (rebalancingAt == null && !"RUNNING".equals(status.path("streams_state").asText())) {
                    rebalancingAt = System.nanoTime();
                }
                if (JoinStatus.tasks(status, joinSubTopology).size() == JoinInput.PARTITIONS && "RUNNING".equals(status.path("streams_state").asText())
                        && !JoinStatus.restoring(status)) {
                    servedAt = System.nanoTime();
                    served = status;
                }
            }
            indexed(index, ids, indexedAt);
            Thread.sleep(POLL.toMillis());
        }
        Map<String, Object> figures = new LinkedHashMap<>();
        figures.put("standby_replicas", standby);
        figures.put("rebalancing_s", seconds(rebalancingAt, killed));
        figures.put("served_s", seconds(servedAt, killed));
        figures.put("first_change_indexed_s", seconds(ids.stream().filter(id -> victimPartitions.contains(ids.indexOf(id)))
                .map(indexedAt::get).filter(at -> at != null).min(Long::compare).orElse(null), killed));
        figures.put("all_changes_indexed_s", indexedAt.size() < ids.size() ? null
                : seconds(indexedAt.values().stream().max(Long::compare).orElseThrow(), killed));
        figures.put("survivors_own_change_indexed_s", seconds(ids.stream().filter(id -> !victimPartitions.contains(ids.indexOf(id)))
                .map(indexedAt::get).filter(at -> at != null).min(Long::compare).orElse(null), killed));
        long restored = 0;
        double restoreSeconds = 0;
        if (served != null) {
            for (JsonNode store : served.path("stores")) {
                restored += store.path("restoration").path("records_restored").asLong();
                restoreSeconds = Math.max(restoreSeconds, store.path("restoration").path("seconds").asDouble());
            }
        }
        figures.put("records_restored", restored);
        figures.put("restore_s", restoreSeconds);
        return figures;
    }

    private static Double seconds(Long at, long since) {
        return at == null ? null : Math.round((at - since) / 1e8) / 10.0;
    }

    /** Marks each of {@code ids} a realtime get of the index finds, the first time it does. */
    private void indexed(String index, List<String> ids, Map<String, Long> indexedAt) {
        StringBuilder body = new StringBuilder("{\"ids\": [");
        ids.stream().filter(id -> !indexedAt.containsKey(id)).forEach(id -> body.append('"').append(id).append("\","));
        if (body.charAt(body.length() - 1) != ',') {
            return;
        }
        body.setCharAt(body.length() - 1, ']');
        HttpProbe.Answer answer = HttpProbe.postJson(engines.searchUrl() + "/" + index + "/_mget?realtime=true&_source=false", body + "}");
        long now = System.nanoTime();
        try {
            for (JsonNode doc : SearchClient.JSON.readTree(answer.body()).path("docs")) {
                if (doc.path("found").asBoolean()) {
                    indexedAt.putIfAbsent(doc.path("_id").asText(), now);
                }
            }
        } catch (IOException e) {
            // Not JSON (the index not made yet, the engine busy): asked again at the next poll.
        }
    }
}
