package io.streamingetl.runtime;

import io.streamingetl.contract.Topics;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
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
 * tombstone removes it. Dead-letter topics keep the broker's retention, counted from when a record was
 * dead-lettered (LogAppendTime).
 */
public final class TopicAdmin {
    private static final Logger LOG = LoggerFactory.getLogger(TopicAdmin.class);

    private TopicAdmin() {
    }

    /** The configuration a topic is created with: compacted, or for a dead-letter topic timed by the broker. */
    public static Map<String, String> configOf(String topic) {
        return topic.endsWith(Topics.DEAD_LETTER_SUFFIX)
                ? Map.of(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "LogAppendTime")
                : Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT);
    }

    /** As below, with {@code KAFKA_BOOTSTRAP_SERVERS}, {@code TOPIC_PARTITIONS} (1) and {@code REPLICATION_FACTOR} (-1) from the settings. */
    public static void ensureTopics(Settings settings, Collection<String> topics) {
        ensureTopics(KafkaSettings.bootstrapServers(settings), topics, partitions(settings), replicationFactor(settings));
    }

    /** {@code TOPIC_PARTITIONS}: the partitions of the topics a service creates. */
    public static int partitions(Settings settings) {
        return settings.integer("TOPIC_PARTITIONS", 1, 1, 10_000);
    }

    /** {@code REPLICATION_FACTOR}: of the topics a service creates, -1 for the broker's default. */
    public static short replicationFactor(Settings settings) {
        return (short) settings.integer("REPLICATION_FACTOR", -1, -1, 32);
    }

    /**
     * @param partitions        for topics created here; existing topics keep theirs
     * @param replicationFactor -1 for the broker's default
     */
    public static void ensureTopics(String bootstrapServers, Collection<String> topics, int partitions,
                                    short replicationFactor) {
        Set<String> wanted = new TreeSet<>(topics);
        topics.stream().filter(t -> !t.endsWith(Topics.DEAD_LETTER_SUFFIX)).map(Topics::deadLetterOf).forEach(wanted::add);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
            Set<String> existing = admin.listTopics().names().get(60, TimeUnit.SECONDS);
            List<NewTopic> missing = wanted.stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, partitions, replicationFactor).configs(configOf(t))).toList();
            for (var result : admin.createTopics(missing).values().entrySet()) {
                try {
                    result.getValue().get(60, TimeUnit.SECONDS);
                    LOG.info("Created topic {} with {} partitions and {}", result.getKey(), partitions, configOf(result.getKey()));
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            warnAboutMisconfigured(admin, wanted.stream().filter(existing::contains).toList());
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("Cannot create topics " + wanted + " on " + bootstrapServers + ": "
                    + (e.getCause() == null ? e : e.getCause()) + ". Is Kafka running at KAFKA_BOOTSTRAP_SERVERS?", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating topics", e);
        }
    }

    /** A topic created before (by hand, or auto-created with the broker's defaults) is left as it is, but named. */
    private static void warnAboutMisconfigured(Admin admin, List<String> topics)
            throws ExecutionException, InterruptedException, TimeoutException {
        if (topics.isEmpty()) {
            return;
        }
        Map<ConfigResource, Config> configs = admin.describeConfigs(topics.stream()
                .map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList()).all().get(60, TimeUnit.SECONDS);
        configs.forEach((resource, config) -> configOf(resource.name()).forEach((key, expected) -> {
            ConfigEntry actual = config.get(key);
            if (actual == null || !expected.equals(actual.value())) {
                LOG.warn("Topic {} has {}={}, not {}: records with old timestamps can be deleted before they are read. "
                                + "Fix: kafka-configs.sh --alter --entity-type topics --entity-name {} --add-config {}={}",
                        resource.name(), key, actual == null ? null : actual.value(), expected, resource.name(), key, expected);
            }
        }));
    }
}
