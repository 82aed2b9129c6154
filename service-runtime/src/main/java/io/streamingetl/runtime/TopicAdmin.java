package io.streamingetl.runtime;

import io.streamingetl.contract.Topics;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.SecurityDisabledException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the topics a service reads or writes, each with its dead-letter topic, when they do not exist
 * yet, so services can start in any order and no topic is left to the broker's auto-creation defaults.
 *
 * <p>The defaults would lose data: the pipeline's record timestamps are event times (the contract), which
 * may be years old (the tutorial's are from 2020), and a time-based retention compares them with the
 * broker's clock, so such records go at the broker's next retention check (every 5 minutes) and a consumer
 * restarting from an older offset silently skips to what is left. The pipeline's topics, each keyed by
 * the id of what it describes, are therefore compacted: the latest record of each key stays until a
 * tombstone removes it; a tombstone itself stays {@code TOMBSTONE_RETENTION} (7 days), so a consumer that
 * was away that long still sees the delete. Dead-letter topics keep the broker's retention, counted from
 * when a record was dead-lettered (LogAppendTime). Where the replication factor is 3 or more, every topic
 * needs 2 in-sync replicas for a write ({@code min.insync.replicas}), so an acknowledged record survives
 * the loss of a broker.
 */
public final class TopicAdmin {
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

    private TopicAdmin() {
    }

    /**
     * How the topics a service creates are laid out: {@code TOPIC_PARTITIONS} (1), {@code REPLICATION_FACTOR}
     * (-1: the broker's default) and {@code TOMBSTONE_RETENTION} (7d, a compacted topic's
     * {@code delete.retention.ms}).
     */
    public record Layout(int partitions, short replicationFactor, Duration tombstoneRetention) {
        public static final Duration DEFAULT_TOMBSTONE_RETENTION = Duration.ofDays(7);

        public static Layout of(int partitions, short replicationFactor) {
            return new Layout(partitions, replicationFactor, DEFAULT_TOMBSTONE_RETENTION);
        }

        public static Layout from(Settings settings) {
            return new Layout(settings.integer("TOPIC_PARTITIONS", 1, 1, 10_000), TopicAdmin.replicationFactor(settings),
                    settings.duration("TOMBSTONE_RETENTION", DEFAULT_TOMBSTONE_RETENTION));
        }

    }

    /** With 3 replicas or more, a write needs 2 of them; with the broker's default (-1), the broker's setting. */
    static boolean needsTwoInSyncReplicas(short replicationFactor) {
        return replicationFactor >= 3;
    }

    /** The configuration a topic is created with: compacted, or for a dead-letter topic timed by the broker. */
    public static Map<String, String> configOf(String topic, Layout layout) {
        Map<String, String> config = new TreeMap<>();
        if (topic.endsWith(Topics.DEAD_LETTER_SUFFIX)) {
            config.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime");
        } else {
            config.put(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
            config.put(TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(layout.tombstoneRetention().toMillis()));
        }
        if (needsTwoInSyncReplicas(layout.replicationFactor())) {
            config.put(TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, "2");
        }
        return config;
    }

    /** As below, with the {@link KafkaConnection} and the {@link Layout} from the settings. */
    public static void ensureTopics(Settings settings, Collection<String> topics) {
        ensureTopics(KafkaConnection.from(settings), topics, Layout.from(settings));
    }

    /** {@code REPLICATION_FACTOR}: of the topics a service creates, -1 for the broker's default. */
    public static short replicationFactor(Settings settings) {
        return (short) settings.integer("REPLICATION_FACTOR", -1, -1, 32);
    }

    /** On a plaintext cluster, with the default tombstone retention. */
    public static void ensureTopics(String bootstrapServers, Collection<String> topics, int partitions,
                                    short replicationFactor) {
        ensureTopics(KafkaConnection.plaintext(bootstrapServers), topics, Layout.of(partitions, replicationFactor));
    }

    /**
     * As below, but while Kafka refuses the service's credentials (or no broker answers) the service is not ready,
     * says why, and asks again, backing off up to 30 s: credentials fixed on either side are picked up without
     * a restart, and a wrong password is no crash loop.
     */
    public static void ensureTopics(KafkaConnection connection, Collection<String> topics, Layout layout, Health health)
            throws InterruptedException {
        new Backoff(Duration.ofMillis(500), MAX_BACKOFF).untilAnswered(health, "", KafkaUnreachableException.class,
                KafkaUnreachableException::getMessage, () -> {
                    ensureTopics(connection, topics, layout);
                    return null;
                });
    }

    /** Kafka could not be asked: its credentials were refused, or no broker answered in time. */
    public static final class KafkaUnreachableException extends IllegalStateException {
        KafkaUnreachableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** Creates what is missing of {@code topics} and their dead-letter topics; existing topics keep their layout. */
    public static void ensureTopics(KafkaConnection connection, Collection<String> topics, Layout layout) {
        Set<String> wanted = new TreeSet<>(topics);
        topics.stream().filter(t -> !t.endsWith(Topics.DEAD_LETTER_SUFFIX)).map(Topics::deadLetterOf).forEach(wanted::add);
        try (Admin admin = Admin.create(connection.with(Map.of()))) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, layout.partitions(), layout.replicationFactor()).configs(configOf(t, layout)))
                    .toList();
            List<String> created = new ArrayList<>();
            for (var result : admin.createTopics(missing).values().entrySet()) {
                try {
                    result.getValue().get(60, TimeUnit.SECONDS);
                    created.add(result.getKey());
                    LOG.info("Created topic {} with {} partitions and {}", result.getKey(), layout.partitions(),
                            configOf(result.getKey(), layout));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            awaitLeaders(admin, created, layout.partitions());
            warnAboutMisconfigured(admin, wanted.stream().filter(existing::contains).toList(), layout);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof AuthenticationException) {
                throw new KafkaUnreachableException("Kafka at " + connection.bootstrapServers() + " refused the credentials: "
                        + e.getCause().getMessage() + " (check KAFKA_SASL_JAAS_CONFIG and KAFKA_SSL_* settings)", e.getCause());
            }
            throw new IllegalStateException("Cannot create topics " + wanted + " on " + connection.bootstrapServers() + ": "
                    + e.getCause() + ". Is Kafka running at KAFKA_BOOTSTRAP_SERVERS?", e);
        } catch (TimeoutException e) {
            throw new KafkaUnreachableException("No Kafka broker answered at " + connection.bootstrapServers() + " within 60 s"
                    + " (check KAFKA_BOOTSTRAP_SERVERS and KAFKA_SECURITY_PROTOCOL)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        }
    }

    /**
     * Creates {@code topic} when missing with one partition, the broker's retention and no dead-letter topic: a
     * control topic, as Debezium's signal channel needs one (it reads a single partition).
     */
    public static void ensureControlTopic(KafkaConnection connection, String topic, short replicationFactor) {
        try (Admin admin = Admin.create(connection.with(Map.of()))) {
            if (!admin.listTopics().names().get(60, TimeUnit.SECONDS).contains(topic)) {
                admin.createTopics(List.of(new NewTopic(topic, Optional.of(1), replicationFactor < 0 ? Optional.empty()
                        : Optional.of(replicationFactor)))).all().get(60, TimeUnit.SECONDS);
                awaitLeaders(admin, List.of(topic), 1);
                LOG.info("Created control topic {} with 1 partition", topic);
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Cannot create topic " + topic + " on " + connection.bootstrapServers() + ": "
                        + e.getCause(), e);
            }
        } catch (TimeoutException e) {
            throw new KafkaUnreachableException("No Kafka broker answered at " + connection.bootstrapServers() + " within 60 s"
                    + " (check KAFKA_BOOTSTRAP_SERVERS and KAFKA_SECURITY_PROTOCOL)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topic " + topic, e);
        }
    }

    /**
     * Allows {@code principal} ({@code User:<name>}) to read, write and describe {@code topic} and to read as the
     * consumer group {@code group}, where the cluster has an authorizer: with Kafka's default
     * ({@code allow.everyone.if.no.acl.found=false}) no one else may then write it, unless an ACL on a prefix or on every
     * topic (or {@code super.users}) lets them. Without an authorizer anyone who reaches Kafka may: said once, in the log.
     * True when the ACLs are in place.
     */
    public static boolean allowOnly(KafkaConnection connection, String topic, String group, String principal) {
        if (principal.isEmpty()) {
            LOG.warn("No principal to allow on {}: set the principal the services connect as (User:<name>) so that only it may"
                    + " write there", topic);
            return false;
        }
        List<AclBinding> acls = new ArrayList<>();
        for (AclOperation operation : List.of(AclOperation.READ, AclOperation.WRITE, AclOperation.DESCRIBE)) {
            acls.add(new AclBinding(new ResourcePattern(ResourceType.TOPIC, topic, PatternType.LITERAL),
                    new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
        }
        acls.add(new AclBinding(new ResourcePattern(ResourceType.GROUP, group, PatternType.LITERAL),
                new AccessControlEntry(principal, "*", AclOperation.READ, AclPermissionType.ALLOW)));
        try (Admin admin = Admin.create(connection.with(Map.of()))) {
            admin.createAcls(acls).all().get(60, TimeUnit.SECONDS);
            LOG.info("Only {} (and Kafka's super users) may write {}: ACLs created", principal, topic);
            return true;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof SecurityDisabledException) {
                LOG.warn("Kafka at {} has no authorizer: anyone who reaches it may write {}. Enable an authorizer, or restrict"
                        + " who reaches Kafka", connection.bootstrapServers(), topic);
                return false;
            }
            throw new IllegalStateException("Cannot create the ACLs of " + topic + " for " + principal + " on "
                    + connection.bootstrapServers() + ": " + e.getCause() + "; the services' principal needs ALTER on the cluster,"
                    + " or create them yourself (docs/operations.md)", e);
        } catch (TimeoutException e) {
            throw new KafkaUnreachableException("No Kafka broker answered at " + connection.bootstrapServers() + " within 60 s"
                    + " (check KAFKA_BOOTSTRAP_SERVERS and KAFKA_SECURITY_PROTOCOL)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the ACLs of " + topic, e);
        }
    }

    /**
     * Waits until the leader of every partition of the new topics answers for it (a ListOffsets request is
     * served by the partition's leader; asked again while the broker says it does not host it yet). A producer
     * writing at once otherwise meets NOT_LEADER_OR_FOLLOWER on its first batches, and an idempotent producer
     * retrying them was seen stuck on OUT_OF_ORDER_SEQUENCE_NUMBER for good (the benchmark, filling topics it
     * had just created).
     */
    private static void awaitLeaders(Admin admin, List<String> topics, int partitionsEach)
            throws ExecutionException, InterruptedException, TimeoutException {
        if (topics.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetSpec> partitions = new HashMap<>();
        for (String topic : topics) {
            for (int partition = 0; partition < partitionsEach; partition++) {
                partitions.put(new TopicPartition(topic, partition), OffsetSpec.latest());
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            try {
                admin.listOffsets(partitions).all().get(60, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException e) {
                // Until the broker has taken on the new partitions it answers "does not host" or "not leader".
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(50);
            }
        }
    }

    /** A topic created before (by hand, or auto-created with the broker's defaults) is left as it is, but named. */
    private static void warnAboutMisconfigured(Admin admin, List<String> topics, Layout layout)
            throws ExecutionException, InterruptedException, TimeoutException {
        if (topics.isEmpty()) {
            return;
        }
        Map<ConfigResource, Config> configs = admin.describeConfigs(topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList()).all().get(60, TimeUnit.SECONDS);
        configs.forEach((resource, config) -> configOf(resource.name(), layout).forEach((key, expected) -> {
            ConfigEntry actual = config.get(key);
            if (actual == null || !expected.equals(actual.value())) {
                LOG.warn("Topic {} has {}={}, not {}: records can be lost (old timestamps deleted, tombstones forgotten, "
                                + "a write acknowledged by one replica). Fix: kafka-configs.sh --alter --entity-type topics --entity-name {} --add-config {}={}",
                        resource.name(), key, actual == null ? null : actual.value(), expected, resource.name(), key, expected);
            }
        }));
    }
}
