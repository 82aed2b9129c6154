package io.streamingetl.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingetl.localstack.Engines;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.testkit.junit.EmbeddedEnginesExtension;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Produced;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Each embedded engine is the real thing, answering as its clients expect. */
@ExtendWith(EmbeddedEnginesExtension.class)
class EmbeddedEnginesIT {
    private final Engines engines;

    EmbeddedEnginesIT(Engines engines) {
        this.engines = engines;
    }

    @Test
    void kafkaTakesAndGivesBackRecords() {
        try (TopicWriter writer = new TopicWriter(engines.kafkaBootstrapServers());
             TopicProbe probe = new TopicProbe(engines.kafkaBootstrapServers(), "engines-plain")) {
            writer.writeRaw("engines-plain", "k", "hello".getBytes(StandardCharsets.UTF_8), null);
            ConsumerRecord<byte[], byte[]> record = probe.await(1, Duration.ofSeconds(30)).get(0);
            assertThat(new String(record.value(), StandardCharsets.UTF_8)).isEqualTo("hello");
        }
    }

    @Test
    void aKafkaStreamsAppRunsExactlyOnceOnIt() throws Exception {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("engines-words", Consumed.with(Serdes.String(), Serdes.String()))
                .mapValues(v -> v.toUpperCase())
                .to("engines-shouted", Produced.with(Serdes.String(), Serdes.String()));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "engines-shout");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, engines.kafkaBootstrapServers());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("streams").toString());
        try (TopicWriter writer = new TopicWriter(engines.kafkaBootstrapServers());
             TopicProbe probe = new TopicProbe(engines.kafkaBootstrapServers(), "engines-shouted")) {
            writer.writeRaw("engines-words", "1", "quiet".getBytes(StandardCharsets.UTF_8), null);
            try (KafkaStreams streams = new KafkaStreams(builder.build(), props)) {
                streams.start();
                List<ConsumerRecord<byte[], byte[]>> shouted = probe.await(1, Duration.ofSeconds(60));
                assertThat(new String(shouted.get(0).value(), StandardCharsets.UTF_8)).isEqualTo("QUIET");
            }
        }
    }

    @Test
    void postgresHasLogicalDecodingOn() throws Exception {
        try (Connection c = engines.postgres().connect("postgres");
             ResultSet rs = c.createStatement().executeQuery("SHOW wal_level")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("logical");
        }
    }

    @Test
    void elasticsearchAnswersAsVersion7() {
        HttpProbe.Answer answer = HttpProbe.get(engines.searchUrl() + "/");
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).contains("\"number\" : \"7.10.2\"");
    }
}
