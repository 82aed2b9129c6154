package io.streamingetl.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamingetl.contract.ChangeHeaders;
import io.streamingetl.contract.DeadLetterHeaders;
import io.streamingetl.contract.EventTime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.kstream.JoinWindows;
import org.apache.kafka.streams.kstream.Repartitioned;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.TaskId;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;

/** Which failures become dead letters and which stop the service: data errors and broker refusals, not bugs. */
class DeadLetterExceptionHandlerTest {
    private static final byte[] KEY = "31".getBytes(StandardCharsets.UTF_8);
    private static final byte[] VALUE = "the order".getBytes(StandardCharsets.UTF_8);

    /** A record of orders, partition 2, offset 7, in the processor check-order-ts of task 0_2. */
    private static class Context implements ErrorHandlerContext {
        public String topic() {
            return "orders";
        }

        public int partition() {
            return 2;
        }

        public long offset() {
            return 7;
        }

        public Headers headers() {
            return new RecordHeaders();
        }

        public String processorNodeId() {
            return "check-order-ts";
        }

        public TaskId taskId() {
            return new TaskId(0, 2);
        }

        public long timestamp() {
            return 0;
        }

        public byte[] sourceRawKey() {
            return KEY;
        }

        public byte[] sourceRawValue() {
            return VALUE;
        }
    }

    private final DeadLetterExceptionHandler handler = new DeadLetterExceptionHandler();

    DeadLetterExceptionHandlerTest() {
        handler.configure(Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
                DeadLetterExceptionHandler.METER_REGISTRY_CONFIG, new SimpleMeterRegistry()));
    }

    private ProcessingExceptionHandler.Response processing(Exception e) {
        return handler.handleError(new Context(), new Record<>("31", "the order", 0L), e);
    }

    @Test
    void aBadEventTimeIsADeadLetterOfTheInputRecord() {
        ProcessingExceptionHandler.Response response = processing(new EventTime.InvalidEventTimeException("ts 'soon' is not yyyy-MM-dd'T'HH:mm:ss"));

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.RESUME);
        ProducerRecord<byte[], byte[]> deadLetter = response.deadLetterQueueRecords().get(0);
        assertThat(deadLetter.topic()).isEqualTo("orders.dlq");
        assertThat(deadLetter.value()).isEqualTo(VALUE);
        assertThat(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.STAGE)).isEqualTo("process:check-order-ts");
        assertThat(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("7");
    }

    @Test
    void anUndecodableValueFoundWhileProcessingIsADeadLetter() {
        assertThat(processing(new SerializationException("Cannot decode a Customer")).result())
                .isEqualTo(ProcessingExceptionHandler.Result.RESUME);
    }

    @Test
    void aBugStopsTheServiceInsteadOfDeadLetteringEveryRecord() {
        ProcessingExceptionHandler.Response response = processing(new NullPointerException("customer"));

        assertThat(response.result()).isEqualTo(ProcessingExceptionHandler.Result.FAIL);
        assertThat(response.deadLetterQueueRecords()).isEmpty();
    }

    @Test
    void anOutputTheBrokerRefusesForItselfMakesItsInputADeadLetter() {
        for (Exception refusal : new Exception[] {new RecordTooLargeException("too large"), new InvalidTimestampException("2030")}) {
            ProductionExceptionHandler.Response response = handler.handleError(new Context(),
                    new ProducerRecord<>("enriched_orders", KEY, VALUE), refusal);

            assertThat(response.result()).isEqualTo(ProductionExceptionHandler.Result.RESUME);
            ProducerRecord<byte[], byte[]> deadLetter = response.deadLetterQueueRecords().get(0);
            assertThat(deadLetter.topic()).isEqualTo("orders.dlq");
            assertThat(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.STAGE)).isEqualTo("produce:enriched_orders");
        }
    }

    @Test
    void aDeadLetterTheBrokerRefusesStopsTheServiceRatherThanLoseTheRecord() {
        assertThat(handler.handleError(new Context(), new ProducerRecord<>("orders.dlq", KEY, VALUE),
                new RecordTooLargeException("too large")).result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
    }

    @Test
    void aDeadLetterCarriesItsRecordsOwnHeadersBesideTheReason() {
        Headers own = new RecordHeaders();
        ChangeHeaders.setVersion(own, 4242);
        ErrorHandlerContext context = new Context() {
            @Override
            public Headers headers() {
                return own;
            }
        };
        ProducerRecord<byte[], byte[]> deadLetter = handler.handleError(context, new Record<>("31", "the order", 0L),
                new EventTime.InvalidEventTimeException("bad ts")).deadLetterQueueRecords().get(0);

        assertThat(ChangeHeaders.version(deadLetter.headers())).isEqualTo(4242);
        assertThat(ChangeHeaders.version(DeadLetterHeaders.originalHeaders(deadLetter.headers()))).isEqualTo(4242);
        assertThat(DeadLetterHeaders.originalHeaders(deadLetter.headers()).lastHeader(DeadLetterHeaders.STAGE)).isNull();
    }

    @Test
    void anyOtherProductionErrorFails() {
        assertThat(handler.handleError(new Context(), new ProducerRecord<>("enriched_orders", KEY, VALUE),
                new KafkaException("authorization")).result()).isEqualTo(ProductionExceptionHandler.Result.FAIL);
    }

    /** A shipment repartitioned by order id (as the join does): its subtopologies, as Kafka Streams describes them. */
    private static DeclaredInputs shipmentsByOrder() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("shipments").selectKey((k, v) -> v).repartition(Repartitioned.as("shipments-by-order"))
                .join(builder.stream("enriched_orders"), (a, b) -> a, JoinWindows.ofTimeDifferenceWithNoGrace(Duration.ofDays(7)))
                .to("shipped_orders");
        return DeclaredInputs.of(builder.build().describe(), "join");
    }

    @Test
    void anInternalTopicIsMadeFromTheDeclaredInputItsWritingSubtopologyReads() {
        DeclaredInputs inputs = shipmentsByOrder();

        assertThat(inputs.inputOf("join-shipments-by-order-repartition")).isEqualTo("shipments");
        assertThat(inputs.inputOf("enriched_orders")).isEqualTo("enriched_orders");
    }

    @Test
    void anOutputTooLargeTriggeredByARepartitionedRecordIsADeadLetterOfTheDeclaredInputSayingWhereItWasRead() {
        DeadLetterExceptionHandler joined = new DeadLetterExceptionHandler();
        joined.configure(Map.of(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1",
                DeadLetterExceptionHandler.METER_REGISTRY_CONFIG, new SimpleMeterRegistry(),
                DeadLetterExceptionHandler.DECLARED_INPUTS_CONFIG, shipmentsByOrder()));
        ErrorHandlerContext fromTheRepartition = new Context() {
            @Override
            public String topic() {
                return "join-shipments-by-order-repartition";
            }
        };

        ProductionExceptionHandler.Response response = joined.handleError(fromTheRepartition,
                new ProducerRecord<>("shipped_orders", KEY, VALUE), new RecordTooLargeException("too large"));

        ProducerRecord<byte[], byte[]> deadLetter = response.deadLetterQueueRecords().get(0);
        assertThat(deadLetter.topic()).isEqualTo("shipments.dlq");
        assertThat(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.SOURCE_TOPIC))
                .isEqualTo("join-shipments-by-order-repartition");
    }

    @Test
    void theGlobalThreadsProducerClosedWithTheServiceSendsNothingMore() {
        GlobalThreadDeadLetters globalThread = new GlobalThreadDeadLetters(Map.of("bootstrap.servers", "127.0.0.1:1"), "test");

        globalThread.close();

        assertThat(globalThread.send(new ProducerRecord<>("customers.dlq", KEY, VALUE))).isFalse();
        assertThat(globalThread.open()).isFalse();
    }
}
