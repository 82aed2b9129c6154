package io.streamingetl.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import io.streamingetl.contract.SchemaRegistry;
import io.streamingetl.contract.Topic;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.ThreadMetadata;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyDescription;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one Kafka Streams topology as a service: readiness follows the Streams state (ready while RUNNING),
 * liveness fails once Streams is in ERROR so the orchestrator restarts it, Streams' own metrics are
 * exported (its topology too, as Kafka Streams describes it, on {@code /topology}), and a shutdown hook closes it
 * cleanly so the next start resumes from the committed offsets.
 */
public final class StreamsService implements Service {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsService.class);
    private static final Duration METRICS_REFRESH = Duration.ofSeconds(5);
    private static final Duration REGISTRY_RETRY = Duration.ofSeconds(5);
    /** How long a close may take (a transaction committed, the state flushed); a pod's grace period must exceed it. */
    public static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);
    /** Kafka Streams' {@code num.standby.replicas}: standby copies of each task's state on other instances. */
    public static final String NUM_STANDBY_REPLICAS = "NUM_STANDBY_REPLICAS";

    private final KafkaStreams streams;
    private final ServiceRuntime runtime;
    private final Object config;
    private final List<Topic<String, ?>> topics;
    private final KafkaConnection kafka;
    private final TopicAdmin.Layout topicLayout;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final KafkaStreamsMetrics metrics;
    private final Set<String> changelogs;
    private final GlobalThreadDeadLetters globalThreadDeadLetters;
    private final String processingGuarantee;
    private final TopologyWarmup warmup;
    private final int warmUpRecords;
    private final Properties properties;
    private final RestoreProgress restoreProgress;

    private StreamsService(Topology topology, Properties properties, ServiceRuntime runtime, UsesTopics config,
                           KafkaConnection kafka, TopicAdmin.Layout topicLayout, TopologyWarmup warmup, int warmUpRecords) {
        this.warmup = warmup;
        this.warmUpRecords = warmUpRecords;
        this.properties = properties;
        this.globalThreadDeadLetters = (GlobalThreadDeadLetters) properties.get(
                DeadLetterExceptionHandler.GLOBAL_THREAD_DEAD_LETTERS_CONFIG);
        this.runtime = runtime;
        this.config = config;
        this.topics = config.topics();
        this.kafka = kafka;
        this.topicLayout = topicLayout;
        this.streams = new KafkaStreams(topology, properties, new SizeCheckedProducers());
        this.processingGuarantee = properties.getProperty(StreamsConfig.PROCESSING_GUARANTEE_CONFIG);
        this.changelogs = changelogsOf(topology, properties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
        Health health = runtime.health();
        // Restorations and standbys as Kafka Streams reports them: readiness says what is left while it rebalances.
        this.restoreProgress = new RestoreProgress(() -> {
            if (streams().state() == KafkaStreams.State.REBALANCING) {
                health.notReady(rebalancing());
            }
        });
        streams.setGlobalStateRestoreListener(restoreProgress);
        streams.setStandbyUpdateListener(restoreProgress);
        streams.setStateListener((now, before) -> {
            LOG.info("{}: streams state {} -> {}", runtime.service(), before, now);
            switch (now) {
                case RUNNING -> health.ready();
                case ERROR -> {
                    health.failed("Kafka Streams is in ERROR (see the log above)");
                    stopped.countDown();
                }
                case NOT_RUNNING -> stopped.countDown();
                case REBALANCING -> health.notReady(rebalancing());
                default -> health.notReady("streams " + now);
            }
        });
        streams.setUncaughtExceptionHandler(e -> {
            Optional<SchemaRegistry.UnavailableException> registryDown = SchemaRegistry.unavailable(e);
            if (registryDown.isPresent()) {
                // Not the data's fault: the thread starts again from the committed offsets once the registry answers.
                health.notReady("waiting for the schema registry: " + registryDown.get().getMessage());
                LOG.warn("{}: the schema registry could not be asked ({}); replacing the stream thread in {} s",
                        runtime.service(), registryDown.get().getMessage(), REGISTRY_RETRY.toSeconds());
                try {
                    Thread.sleep(REGISTRY_RETRY.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
                return StreamThreadExceptionResponse.REPLACE_THREAD;
            }
            LOG.error("{}: stream thread failed, stopping the client so it is restarted: {}", runtime.service(), e.toString(), e);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        // Sensors a processor adds at task start (the join's late-records) reach /metrics at the binder's next
        // refresh: every 5 s rather than Micrometer's default minute.
        this.metrics = new KafkaStreamsMetrics(streams, List.of(), Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "streams-metrics-refresh");
            thread.setDaemon(true);
            return thread;
        }), METRICS_REFRESH);
        metrics.bindTo(runtime.registry());
        restoreProgress.bindTo(runtime.registry());
    }

    private String rebalancing() {
        String restoring = restoreProgress.summary();
        return "streams REBALANCING" + (restoring.isEmpty() ? "" : ": " + restoring);
    }

    /**
     * The streams properties every service shares, from the environment: the {@link KafkaConnection},
     * {@code APPLICATION_ID}, the {@link DeliveryProfile} ({@code DELIVERY_PROFILE}: the guarantee, the commit interval
     * and the producer's linger), {@code PROCESSING_GUARANTEE} (the profile's), {@code NUM_STREAM_THREADS},
     * {@code NUM_STANDBY_REPLICAS} (0), {@code STATE_DIR}, {@code REPLICATION_FACTOR} (-1: the broker's default), {@code ROCKSDB_MEMORY_MB} (128: all of
     * RocksDB's off-heap memory, see {@link BoundedRocksDbMemory}), and any
     * {@code KAFKA_STREAMS_<PROPERTY>} passed through as is.
     */
    public static Properties properties(Settings settings, String defaultApplicationId, MeterRegistry registry) {
        Properties p = new Properties();
        p.putAll(KafkaConnection.from(settings).properties());
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.string("APPLICATION_ID", defaultApplicationId));
        DeliveryProfile profile = DeliveryProfile.from(settings);
        String guarantee = settings.string("PROCESSING_GUARANTEE", profile.processingGuarantee());
        if (!guarantee.equals(StreamsConfig.EXACTLY_ONCE_V2) && !guarantee.equals(StreamsConfig.AT_LEAST_ONCE)) {
            throw new SettingsException("PROCESSING_GUARANTEE", "is '" + guarantee + "', must be exactly_once_v2 or at_least_once");
        }
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.integer("NUM_STREAM_THREADS", 1, 1, 64));
        // A warm copy of each task's state on another instance: a lost instance's tasks move without restoring
        // their whole changelog. 0 here (the demo runs one instance); 1 where two run (k8s), see docs/operations.md.
        p.put(StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG, settings.integer(NUM_STANDBY_REPLICAS, 0, 0, 8));
        p.put(StreamsConfig.STATE_DIR_CONFIG, settings.string("STATE_DIR",
                Path.of(System.getProperty("java.io.tmpdir"), "kafka-streams").toString()));
        short replicationFactor = TopicAdmin.replicationFactor(settings);
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replicationFactor);
        if (TopicAdmin.needsTwoInSyncReplicas(replicationFactor)) {
            // Changelogs and repartition topics as the pipeline's own: a write needs two of the replicas.
            p.put(StreamsConfig.topicPrefix(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG), "2");
        }
        p.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class);
        p.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
        p.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterExceptionHandler.class);
        p.put(DeadLetterExceptionHandler.METER_REGISTRY_CONFIG, registry);
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, BoundedRocksDbMemory.class);
        p.put(BoundedRocksDbMemory.BYTES_CONFIG, settings.longValue("ROCKSDB_MEMORY_MB", 128, 8, 64 * 1024) * 1024 * 1024);
        p.putAll(profile.streamsProperties());
        p.putAll(ServiceRuntime.passThrough(settings, "KAFKA_STREAMS_"));
        return p;
    }

    /** A service's typed configuration: the pipeline topics its topology reads and writes, its own internal ones aside. */
    public interface UsesTopics {
        List<Topic<String, ?>> topics();
    }

    /**
     * A Kafka Streams service: {@code topology}, built from the service's typed {@code config}, with the
     * properties every service shares and those the config adds ({@code streamsProperties}).
     */
    public static StreamsService create(Settings settings, ServiceRuntime runtime, UsesTopics config, Topology topology,
                                        Map<String, Object> streamsProperties, TopologyWarmup warmup) {
        Properties properties = properties(settings, runtime.service(), runtime.registry());
        streamsProperties.forEach(properties::putIfAbsent);
        String applicationId = properties.getProperty(StreamsConfig.APPLICATION_ID_CONFIG);
        properties.put(DeadLetterExceptionHandler.DECLARED_INPUTS_CONFIG, DeclaredInputs.of(topology.describe(), applicationId));
        properties.put(DeadLetterExceptionHandler.GLOBAL_THREAD_DEAD_LETTERS_CONFIG, new GlobalThreadDeadLetters(
                KafkaConnection.from(settings).properties(), applicationId + "-global-thread-dead-letters"));
        String description = topology.describe().toString();
        runtime.route("/topology", request -> new OpsServer.Answer(200, "text/plain", description));
        return new StreamsService(topology, properties, runtime, config,
                KafkaConnection.from(settings), TopicAdmin.Layout.from(settings), warmup, Warmup.records(settings));
    }

    @Override
    public List<Topic<String, ?>> topics() {
        return topics;
    }

    /**
     * Creates the topics the topology reads and writes when missing (Streams creates its internal ones), wipes the
     * local state when its changelogs are gone, warms up ({@link TopologyWarmup}), then starts.
     */
    @Override
    public void start() throws InterruptedException {
        TopicAdmin.ensureTopics(kafka, topics.stream().map(Topic::name).toList(), topicLayout, runtime.health());
        wipeStateWhenChangelogsAreGone();
        warmup.run(runtime.service(), warmUpRecords, runtime.health(), properties);
        streams.start();
    }

    /**
     * A reset (./pipeline reset, Kafka's reset tool) deletes the changelogs: the local state they backed would hold
     * what the reprocessing is to rebuild, so it is wiped ({@link KafkaStreams#cleanUp()}, as the reset tool's guide
     * asks). On a first start there is nothing to wipe. Global stores read their source topic and are kept.
     */
    private void wipeStateWhenChangelogsAreGone() {
        if (changelogs.isEmpty()) {
            return;
        }
        try (Admin admin = Admin.create(kafka.with(Map.of()))) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            if (!existing.containsAll(changelogs)) {
                LOG.info("{}: changelogs {} are not all there (a first start, or a reset): local state wiped", runtime.service(),
                        changelogs);
                streams.cleanUp();
            }
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("{}: cannot tell whether its changelogs are there ({}); local state kept", runtime.service(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The changelog of each store of {@code topology} but its global ones: {@code <application id>-<store>-changelog}. */
    static Set<String> changelogsOf(Topology topology, String applicationId) {
        Set<String> changelogs = new TreeSet<>();
        for (TopologyDescription.Subtopology subtopology : topology.describe().subtopologies()) {
            for (TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Processor processor) {
                    processor.stores().forEach(store -> changelogs.add(applicationId + "-" + store + "-changelog"));
                }
            }
        }
        return changelogs;
    }

    /** The Kafka Streams client, for interactive queries of its stores. */
    public KafkaStreams streams() {
        return streams;
    }

    /** Kafka Streams' own pause: its threads stop processing and punctuating, stay in the group, keep their tasks. */
    @Override
    public void pause() {
        streams.pause();
    }

    @Override
    public void resume() {
        streams.resume();
    }

    /**
     * The Streams state, the tasks this instance runs and keeps standby copies of (Kafka Streams' task ids), and per
     * store its current or last restoration and its standbys ({@link RestoreProgress}).
     */
    @Override
    public Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("streams_state", streams.state().name());
        status.put("processing_guarantee", processingGuarantee);
        Set<String> active = new TreeSet<>();
        Set<String> standby = new TreeSet<>();
        try {
            for (ThreadMetadata thread : streams.metadataForLocalThreads()) {
                thread.activeTasks().forEach(task -> active.add(task.taskId().toString()));
                thread.standbyTasks().forEach(task -> standby.add(task.taskId().toString()));
            }
        } catch (IllegalStateException notRunning) {
            // Before start and after close there are no tasks to list.
        }
        status.put("active_tasks", List.copyOf(active));
        status.put("standby_tasks", List.copyOf(standby));
        status.put("stores", restoreProgress.status());
        return status;
    }

    @Override
    public boolean awaitStop() throws InterruptedException {
        stopped.await();
        return !runtime.health().live();
    }

    @Override
    public void close() {
        // Leaving the group on a clean stop hands its partitions to the other instances at once (not after the
        // session timeout), and lets ./pipeline reset run right after every instance stopped.
        streams.close(CloseOptions.timeout(CLOSE_TIMEOUT).withGroupMembershipOperation(
                CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        metrics.close();
        globalThreadDeadLetters.close();
        stopped.countDown();
    }

    @Override
    public String toString() {
        return String.valueOf(config);
    }
}
