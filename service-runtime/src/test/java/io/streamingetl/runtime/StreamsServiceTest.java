package io.streamingetl.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.state.KeyValueStore;
import org.junit.jupiter.api.Test;

/** What StreamsService reads off a topology: the changelogs whose absence means a reset, its global stores aside. */
class StreamsServiceTest {

    @Test
    void theChangelogsAreThoseOfTheStoresOfItsProcessorsNotOfItsGlobalTables() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.globalTable("customers", Consumed.with(Serdes.String(), Serdes.String()),
                Materialized.<String, String, KeyValueStore<Bytes, byte[]>>as("customer-table"));
        builder.stream("orders", Consumed.with(Serdes.String(), Serdes.String())).groupByKey()
                .count(Materialized.as("orders-by-key"));

        assertThat(StreamsService.changelogsOf(builder.build(), "app")).containsExactly("app-orders-by-key-changelog");
    }
}
