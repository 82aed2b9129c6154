package io.streamingetl.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingetl.localstack.KafkaCluster;
import io.streamingetl.runtime.TopicAdmin;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The local stack's three-node cluster is a real one: replicated, and losing no acknowledged write when a leader dies. */
class KafkaClusterIT {
    private static final String TOPIC = "cluster.orders";
    private static KafkaCluster cluster;

    @BeforeAll
    static void start() {
        cluster = KafkaCluster.start(3, null);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void killingThePartitionLeaderLosesNoAcknowledgedWriteAndItsReplicaCatchesUpOnRestart() throws Exception {
        TopicAdmin.ensureTopics(cluster.bootstrapServers(), List.of(TOPIC), 1, (short) 3);
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers()))) {
            var resource = new ConfigResource(ConfigResource.Type.TOPIC, TOPIC);
            Config config = admin.describeConfigs(List.of(resource)).all().get().get(resource);
            assertThat(config.get("min.insync.replicas").value()).isEqualTo("2");
            assertThat(admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions().get(0).replicas())
                    .hasSize(3);
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, cluster.bootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all"), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < 100; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, bytes("k" + i), bytes("before"))).get(30, TimeUnit.SECONDS);
            }
            int leader = cluster.leaderOf(TOPIC, 0);
            cluster.kill(leader);
            for (int i = 100; i < 200; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, bytes("k" + i), bytes("after"))).get(60, TimeUnit.SECONDS);
            }
            assertThat(cluster.leaderOf(TOPIC, 0)).isNotEqualTo(leader);

            cluster.restart(leader);
            cluster.awaitInSync(Set.of(TOPIC), Duration.ofMinutes(1));
        }
        assertThat(TopicProbe.readToEnd(cluster.bootstrapServers(), TOPIC, Duration.ofSeconds(30))).hasSize(200);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
