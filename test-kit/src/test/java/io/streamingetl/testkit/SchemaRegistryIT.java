package io.streamingetl.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingetl.avro.Order;
import io.streamingetl.contract.ConfluentRegistryClient;
import io.streamingetl.contract.SchemaHistory;
import io.streamingetl.contract.SchemaRegistry;
import io.streamingetl.localstack.Engines;
import io.streamingetl.testkit.junit.EmbeddedEnginesExtension;
import java.net.URI;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** ConfluentRegistryClient against the real registry the local stack runs (Apicurio's Confluent-compatible API). */
@ExtendWith(EmbeddedEnginesExtension.class)
class SchemaRegistryIT {
    private final Engines engines;

    SchemaRegistryIT(Engines engines) {
        this.engines = engines;
    }

    private SchemaRegistry client() {
        return new ConfluentRegistryClient(URI.create(engines.schemaRegistryUrl()));
    }

    @Test
    void servicesStartingTogetherRegisteringOneNewSubjectAllGetTheSameId() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<Integer>> starts = IntStream.range(0, 6).<Callable<Integer>>mapToObj(
                    i -> () -> client().register("together-value", Order.getClassSchema())).toList();
            List<Integer> ids = pool.invokeAll(starts).stream().map(SchemaRegistryIT::get).toList();

            assertThat(ids).containsOnly(ids.get(0));
            assertThat(client().schema(ids.get(0))).isEqualTo(Order.getClassSchema());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aNewerVersionThatReadsTheOlderOneIsRegisteredAndBothResolve() {
        Schema v1 = SchemaHistory.of("Order").get(0);
        int first = client().register("evolving-value", v1);
        int second = client().register("evolving-value", Order.getClassSchema());

        assertThat(second).isNotEqualTo(first);
        assertThat(client().schema(first)).isEqualTo(v1);
        assertThat(client().find("evolving-value", Order.getClassSchema())).hasValue(second);
    }

    @Test
    void aVersionThatCannotReadTheLastOneIsRefusedAsIncompatible() {
        client().register("refusing-value", Order.getClassSchema());
        Schema numericIds = new Schema.Parser().parse("{\"type\": \"record\", \"name\": \"Order\", \"namespace\": "
                + "\"io.streamingetl.avro\", \"fields\": [{\"name\": \"order_id\", \"type\": \"long\"}]}");

        assertThatThrownBy(() -> client().register("refusing-value", numericIds))
                .isInstanceOf(SchemaRegistry.IncompatibleSchemaException.class)
                .hasMessageContaining("refused io.streamingetl.avro.Order under subject refusing-value as incompatible");
    }

    @Test
    void anIdItNeverGaveIsUnknownAndAStoppedRegistryIsUnavailable() {
        assertThatThrownBy(() -> client().schema(999_999))
                .isInstanceOf(SerializationException.class)
                .hasMessage("Schema id 999999 is unknown to the schema registry at " + engines.schemaRegistryUrl());
        assertThatThrownBy(() -> new ConfluentRegistryClient(URI.create("http://127.0.0.1:9/apis/ccompat/v7")).schema(1))
                .isInstanceOf(SchemaRegistry.UnavailableException.class)
                .hasMessageStartingWith("Cannot reach the schema registry at http://127.0.0.1:9/apis/ccompat/v7: ");
    }

    private static <T> T get(Future<T> future) {
        try {
            return future.get();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
