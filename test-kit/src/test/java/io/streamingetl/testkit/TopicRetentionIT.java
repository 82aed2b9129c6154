package io.streamingetl.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamingetl.localstack.Engines;
import io.streamingetl.runtime.TopicAdmin;
import io.streamingetl.testkit.junit.EmbeddedEnginesExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The pipeline's record timestamps are event times; those of the tutorial are from 2020. A topic with the
 * broker's default retention drops them at its next retention check; the topics the services create keep them.
 */
@ExtendWith(EmbeddedEnginesExtension.class)
class TopicRetentionIT {
    private static final Instant TUTORIAL_TIME = Instant.parse("2020-04-03T11:20:00Z");

    private final Engines engines;

    TopicRetentionIT(Engines engines) {
        this.engines = engines;
    }

    @Test
    void recordsOf2020StayInTopicsTheServicesCreateButLeaveTopicsWithTheBrokersDefaults() throws Exception {
        String created = "retention-created.orders";
        String autoCreated = "retention-auto.orders";
        TopicAdmin.ensureTopics(engines.kafkaBootstrapServers(), List.of(created), 1, (short) 1);
        try (TopicWriter writer = new TopicWriter(engines.kafkaBootstrapServers());
             Admin admin = Admin.create(Map.<String, Object>of("bootstrap.servers", engines.kafkaBootstrapServers()))) {
            for (String topic : List.of(created, autoCreated)) {
                writer.writeRaw(topic, "10", "order".getBytes(StandardCharsets.UTF_8), TUTORIAL_TIME);
            }

            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> firstOffset(admin, autoCreated), first -> first == 1L);

            assertThat(firstOffset(admin, autoCreated)).as("the auto-created topic lost its record").isEqualTo(1L);
            assertThat(firstOffset(admin, created)).as("the created topic kept its record").isEqualTo(0L);
            assertThat(config(admin, created, "cleanup.policy")).isEqualTo("compact");
            assertThat(config(admin, created + ".dlq", "message.timestamp.type")).isEqualTo("LogAppendTime");
        }
    }

    private static long firstOffset(Admin admin, String topic) throws Exception {
        TopicPartition partition = new TopicPartition(topic, 0);
        return admin.listOffsets(Map.of(partition, OffsetSpec.earliest())).partitionResult(partition).get().offset();
    }

    private static String config(Admin admin, String topic, String key) throws Exception {
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        return admin.describeConfigs(List.of(resource)).all().get().get(resource).get(key).value();
    }
}
