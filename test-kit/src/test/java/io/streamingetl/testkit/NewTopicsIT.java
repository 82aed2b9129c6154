package io.streamingetl.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingetl.localstack.Engines;
import io.streamingetl.runtime.TopicAdmin;
import io.streamingetl.testkit.junit.EmbeddedEnginesExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A service writes to the topics it creates as soon as they exist (the CDC services, the sink's dead letters,
 * the benchmark filling its inputs): TopicAdmin returns only once their leaders take writes. (An idempotent
 * producer meeting NOT_LEADER_OR_FOLLOWER on its first batches was seen stuck on OUT_OF_ORDER_SEQUENCE_NUMBER.)
 */
@ExtendWith(EmbeddedEnginesExtension.class)
class NewTopicsIT {
    private final Engines engines;

    NewTopicsIT(Engines engines) {
        this.engines = engines;
    }

    @Test
    void everyPartitionOfTopicsJustCreatedTakesAWriteAtOnce() throws Exception {
        List<String> topics = List.of("fresh.customers", "fresh.orders", "fresh.enriched", "fresh.shipments");
        TopicAdmin.ensureTopics(engines.kafkaBootstrapServers(), topics, 3, (short) 1);

        // No retries: a partition whose leader is not serving yet fails its write with NOT_LEADER_OR_FOLLOWER.
        List<Future<RecordMetadata>> acks = new ArrayList<>();
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, engines.kafkaBootstrapServers(),
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false,
                ProducerConfig.RETRIES_CONFIG, 0), new ByteArraySerializer(), new ByteArraySerializer())) {
            for (String topic : topics) {
                for (int partition = 0; partition < 3; partition++) {
                    acks.add(producer.send(new ProducerRecord<>(topic, partition, new byte[] {1}, new byte[60])));
                }
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(60, TimeUnit.SECONDS);
            }
        }
        assertThat(acks).hasSize(12);
    }
}
