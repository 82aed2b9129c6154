package io.streamingetl.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.junit.jupiter.api.Test;

class StreamsServiceTest {

    @Test
    void externalTopicsAreTheInputsGlobalTablesAndOutputsButNotRepartitionTopics() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.globalTable("customers");
        builder.<String, String>stream("orders")
                .join(builder.<String, String>stream("shipments").selectKey((k, v) -> v),
                        (a, b) -> a + b, JoinWindows.ofTimeDifferenceWithNoGrace(Duration.ofDays(7)))
                .to("shipped");

        assertThat(StreamsService.externalTopics(builder.build()))
                .containsExactly("customers", "orders", "shipments", "shipped");
    }
}
