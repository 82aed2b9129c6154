package io.streamingetl.essink;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamingetl.contract.Topics;
import io.streamingetl.runtime.DeadLetterWriter;
import io.streamingetl.runtime.DeadLetters;
import io.streamingetl.runtime.Health;
import io.streamingetl.runtime.Warmup;
import io.streamingetl.search.BulkWriter;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

class SinkWarmupTest {
    @Test
    void everyRoundIsDecodedAndEachBatchMadeABulkBodyWithNothingSent() {
        MockProducer<byte[], byte[]> deadLetterProducer = new MockProducer<>(true, null, new ByteArraySerializer(), new ByteArraySerializer());
        ShippedOrderWrites writes = new ShippedOrderWrites(Topics.SHIPPED_ORDERS,
                new DeadLetterWriter(deadLetterProducer, new DeadLetters(new SimpleMeterRegistry())));

        int ran = Warmup.run("es-sink-service", 1_000, new Health(),
                new SinkWarmup(Topics.SHIPPED_ORDERS, writes, new BulkWriter<>(null, "shipped_orders"), 100));

        assertThat(ran).isEqualTo(1_000);
        assertThat(deadLetterProducer.history()).isEmpty();
    }
}
