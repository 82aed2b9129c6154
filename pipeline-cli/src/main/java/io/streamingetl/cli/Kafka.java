package io.streamingetl.cli;

import io.streamingetl.cli.PipelineCli.CliException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/** The Kafka clients the commands use, and the one line said when the broker does not answer. */
final class Kafka {
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private Kafka() {
    }

    static Admin admin(CliSettings settings) {
        return Admin.create(settings.kafka().with(Map.of(
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis(),
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis())));
    }

    /** A reader of committed records; {@code group} null for one that keeps no position. */
    static KafkaConsumer<byte[], byte[]> consumer(CliSettings settings, String group) {
        Map<String, Object> config = settings.kafka().with(Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) TIMEOUT.toMillis()));
        if (group != null) {
            config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    static KafkaProducer<byte[], byte[]> producer(CliSettings settings) {
        return new KafkaProducer<>(settings.kafka().with(Map.of(
                ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, (int) TIMEOUT.toMillis())),
                new ByteArraySerializer(), new ByteArraySerializer());
    }

    /** The future's value; a broker that does not answer in time is one line naming the setting. */
    static <T> T get(KafkaFuture<T> future, CliSettings settings) {
        try {
            return future.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw unreachable(settings);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof org.apache.kafka.common.errors.TimeoutException) {
                throw unreachable(settings);
            }
            if (e.getCause() instanceof AuthenticationException) {
                throw new CliException("Kafka at " + settings.kafka().bootstrapServers() + " refused the credentials: "
                        + e.getCause().getMessage() + " (settings KAFKA_SECURITY_PROTOCOL, KAFKA_SASL_*, KAFKA_SSL_*)");
            }
            throw new CliException(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException("interrupted");
        }
    }

    static CliException unreachable(CliSettings settings) {
        return new CliException("Kafka does not answer at " + settings.kafka().bootstrapServers()
                + " (setting KAFKA_BOOTSTRAP_SERVERS): is the pipeline running? A secured cluster also needs"
                + " KAFKA_SECURITY_PROTOCOL and its KAFKA_SASL_*/KAFKA_SSL_* settings (a secured demo's: . .demo/kafka-client.env)");
    }

    /** Assigns every partition of {@code topic} to {@code consumer}; the partitions. */
    static List<TopicPartition> assignAll(KafkaConsumer<byte[], byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(p -> new TopicPartition(topic, p.partition())).toList();
        consumer.assign(partitions);
        return partitions;
    }

    /** Whether {@code consumer} has read every partition up to {@code ends}. */
    static boolean atEnd(KafkaConsumer<byte[], byte[]> consumer, Map<TopicPartition, Long> ends) {
        return ends.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    /** Fails with one line when {@code topic} does not exist. */
    static void requireTopic(Admin admin, CliSettings settings, String topic) {
        if (!get(admin.listTopics().names(), settings).contains(topic)) {
            throw new CliException("no topic " + topic + " (the pipeline's: " + String.join(", ", settings.allTopicNames()) + ")");
        }
    }
}
