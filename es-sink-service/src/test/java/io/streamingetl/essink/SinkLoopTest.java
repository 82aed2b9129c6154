package io.streamingetl.essink;

import io.streamingetl.runtime.DeadLetterWriter;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.ChangeHeaders;
import io.streamingetl.contract.DeadLetterHeaders;
import io.streamingetl.contract.Topics;
import io.streamingetl.runtime.Backoff;
import io.streamingetl.runtime.DeadLetters;
import io.streamingetl.runtime.Health;
import io.streamingetl.search.BulkWriter.Outcome;
import io.streamingetl.search.BulkWriter.Rejection;
import io.streamingetl.search.BulkWriter.Write;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The sink's loop on Kafka's MockConsumer and MockProducer and a scripted engine: each commit and rebalance rule
 * the scenarios on the real engines prove, one at a time, in milliseconds.
 */
class SinkLoopTest {
    private static final String TOPIC = "shipped_orders";
    static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
    static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

    final RebalancingConsumer consumer = new RebalancingConsumer();
    final MockProducer<byte[], byte[]> producer = new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer());
    final Health health = new Health();
    final ScriptedEngine engine = new ScriptedEngine();
    final SinkControls controls = new SinkControls();
    private final SinkLoop loop = loop(producer);

    /** A MockConsumer whose rebalances call the listener as KafkaConsumer does: revoked first, while still owned. */
    static final class RebalancingConsumer extends MockConsumer<byte[], byte[]> {
        private ConsumerRebalanceListener listener;

        RebalancingConsumer() {
            super("earliest");
        }

        @Override
        public synchronized void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
            this.listener = listener;
            super.subscribe(topics, new ConsumerRebalanceListener() {
                @Override
                public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                }

                @Override
                public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                }
            });
        }

        /** The last offset committed for each partition, whoever owns it now (MockConsumer answers 0 for others). */
        final Map<TopicPartition, Long> commits = new HashMap<>();

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
            offsets.forEach((partition, offset) -> commits.put(partition, offset.offset()));
            super.commitAsync(offsets, callback);
        }

        @Override
        public synchronized void rebalance(Collection<TopicPartition> assignment) {
            Set<TopicPartition> revoked = new HashSet<>(assignment());
            revoked.removeAll(assignment);
            Set<TopicPartition> added = new HashSet<>(assignment);
            added.removeAll(assignment());
            listener.onPartitionsRevoked(revoked);
            super.rebalance(assignment);
            listener.onPartitionsAssigned(added);
        }
    }

    /** The engine: each bulk request answered by the next scripted answer, else everything written. */
    static final class ScriptedEngine implements BatchWriter.Bulk {
        interface Answer {
            Outcome<ConsumerRecord<byte[], byte[]>> to(List<Write<ConsumerRecord<byte[], byte[]>>> writes) throws IOException;
        }

        final Deque<Answer> script = new ArrayDeque<>();
        final List<List<String>> requests = new ArrayList<>();

        @Override
        public Outcome<ConsumerRecord<byte[], byte[]>> write(List<Write<ConsumerRecord<byte[], byte[]>>> writes)
                throws IOException {
            requests.add(writes.stream().map(w -> w.id() + "@" + w.version()).toList());
            Answer answer = script.poll();
            return answer == null ? new Outcome<>(writes, 0, List.of(), null, List.of()) : answer.to(writes);
        }
    }

    /** Runs a task at once on the caller's thread: a batch's first attempt done by the time it is sent. */
    static final class SameThread extends AbstractExecutorService {
        public void execute(Runnable command) {
            command.run();
        }

        public void shutdown() {
        }

        public List<Runnable> shutdownNow() {
            return List.of();
        }

        public boolean isShutdown() {
            return false;
        }

        public boolean isTerminated() {
            return false;
        }

        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }

    /** How many bulk requests the loop may have under way: one, as by default; {@link SinkLoopWithTwoInFlightTest} two. */
    int concurrentRequests() {
        return 1;
    }

    private SinkLoop loop(MockProducer<byte[], byte[]> deadLetterProducer) {
        return loop(deadLetterProducer, new SameThread(), concurrentRequests());
    }

    SinkLoop loop(MockProducer<byte[], byte[]> deadLetterProducer, java.util.concurrent.ExecutorService sender,
                          int concurrentRequests) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        SinkMetrics metrics = new SinkMetrics(registry);
        DeadLetterWriter deadLetters = new DeadLetterWriter(deadLetterProducer, new DeadLetters(registry));
        BatchWriter writer = new BatchWriter(engine, new RetryPolicy(2), deadLetters, metrics, health, "Elasticsearch");
        SinkLoop built = new SinkLoop(consumer, new Batch(500, 5 * 1024 * 1024, Duration.ZERO),
                new ShippedOrderWrites(Topics.SHIPPED_ORDERS, deadLetters), writer, metrics, health,
                new Backoff(Duration.ofMillis(1), Duration.ofMillis(2)), sender, concurrentRequests, controls);
        built.subscribe(TOPIC);
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        consumer.rebalance(List.of(P0, P1));
        return built;
    }

    void record(TopicPartition partition, long offset, String orderId, String origin, long version) {
        RecordHeaders headers = new RecordHeaders();
        ChangeHeaders.setVersion(headers, version);
        byte[] value = Topics.SHIPPED_ORDERS.serializeValue(new ShippedOrder(orderId, "s" + orderId, "7", "sue", 25, origin, 1.0, "usd"));
        consumer.addRecord(new ConsumerRecord<>(TOPIC, partition.partition(), offset, 0L, TimestampType.CREATE_TIME,
                orderId.length(), value.length, orderId.getBytes(StandardCharsets.UTF_8), value, headers, Optional.empty()));
    }

    /** The offsets committed, of the partitions read past their start. */
    Map<TopicPartition, Long> committed() {
        Map<TopicPartition, Long> offsets = new HashMap<>(consumer.commits);
        offsets.values().removeIf(offset -> offset == 0);
        return offsets;
    }

    /** Runs {@code action} at the first poll made while the sink backs off (every partition paused). */
    void duringTheBackOff(Runnable action) {
        consumer.schedulePollTask(() -> {
            if (consumer.paused().isEmpty() || consumer.assignment().isEmpty()) {
                duringTheBackOff(action);
            } else {
                action.run();
            }
        });
    }

    static ConnectException unreachable() {
        return new ConnectException("Connection refused");
    }

    @Test
    void aDueBatchIsWrittenInOneRequestAndItsPositionsCommittedOnceTheEngineTookIt() {
        record(P0, 0, "22", "iowa", 100);
        record(P0, 1, "29", "ohio", 200);
        record(P1, 0, "17", "texas", 300);

        loop.step();
        assertThat(committed()).as("not before the engine answered").isEmpty();
        loop.step();

        assertThat(engine.requests).singleElement().asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.LIST)
                .containsExactlyInAnyOrder("22@100", "29@200", "17@300");
        assertThat(committed()).isEqualTo(Map.of(P0, 2L, P1, 1L));
    }

    @Test
    void theLastRecordOfAnOrderInABatchIsTheOneWritten() {
        record(P0, 0, "22", "iowa", 100);
        record(P0, 1, "22", "ohio", 200);

        loop.step();

        assertThat(engine.requests).containsExactly(List.of("22@200"));
    }

    @Test
    void whileTheEngineIsUnreachableNothingIsCommittedThePartitionsArePausedAndTheSinkSaysWhy() {
        engine.script.add(writes -> {
            throw unreachable();
        });
        engine.script.add(writes -> {
            throw unreachable();
        });
        record(P0, 0, "22", "iowa", 100);
        List<String> seenWhileAway = new ArrayList<>();
        duringTheBackOff(() -> seenWhileAway.add(committed() + " paused=" + consumer.paused().size() + " "
                + health.notReadyReason()));

        loop.step();
        loop.step();

        assertThat(seenWhileAway).containsExactly("{} paused=2 Elasticsearch unavailable while writing 1 documents "
                + "(ConnectException: Connection refused)");
        assertThat(engine.requests).hasSize(3);
        assertThat(committed()).isEqualTo(Map.of(P0, 1L));
        assertThat(consumer.paused()).isEmpty();
        assertThat(health.isReady()).isTrue();
    }

    @Test
    void pausedByAnOperatorTheSinkWritesNothingAndCommitsNothingUntilResumed() {
        controls.pause();
        record(P0, 0, "22", "iowa", 100);

        loop.step();
        loop.step();

        assertThat(engine.requests).isEmpty();
        assertThat(committed()).isEmpty();
        assertThat(consumer.paused()).containsExactlyInAnyOrder(P0, P1);

        controls.resume();
        loop.step();
        loop.step();

        assertThat(engine.requests).containsExactly(List.of("22@100"));
        assertThat(committed()).isEqualTo(Map.of(P0, 1L));
        assertThat(consumer.paused()).isEmpty();
    }

    @Test
    void partitionsAssignedWhilePausedByAnOperatorArePausedToo() {
        controls.pause();
        loop.step();
        consumer.rebalance(List.of(P1));
        loop.step();
        consumer.rebalance(List.of(P0, P1));
        record(P0, 0, "22", "iowa", 100);

        loop.step();

        assertThat(engine.requests).isEmpty();
        assertThat(consumer.paused()).containsExactlyInAnyOrder(P0, P1);
    }

    @Test
    void partitionsRevokedDuringABackOffAreReadAgainFromTheLastCommitByTheirNextOwner() {
        engine.script.add(writes -> {
            throw unreachable();
        });
        record(P0, 0, "22", "iowa", 100);
        record(P0, 1, "29", "ohio", 200);
        duringTheBackOff(() -> consumer.rebalance(List.of(P1)));

        loop.step();
        loop.step();

        assertThat(committed()).as("nothing of the revoked batch").isEmpty();
        assertThat(consumer.assignment()).containsExactly(P1);
        assertThat(engine.requests).hasSize(1);
    }

    @Test
    void aBatchTheEngineTookWholeIsCommittedBeforeItsPartitionsGoSoNobodyWritesItTwice() {
        record(P0, 0, "22", "iowa", 100);
        record(P0, 1, "29", "ohio", 200);
        loop.step();
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P1)));

        loop.step();

        assertThat(committed()).isEqualTo(Map.of(P0, 2L));
        assertThat(engine.requests).hasSize(1);
    }

    @Test
    void partitionsAssignedDuringABackOffArePausedTooSoWhatTheyReturnIsNotDropped() {
        consumer.rebalance(List.of(P0));
        loop.step(); // P1 revoked: nothing of it was read
        engine.script.add(writes -> {
            throw unreachable();
        });
        record(P0, 0, "22", "iowa", 100);
        List<Set<TopicPartition>> paused = new ArrayList<>();
        duringTheBackOff(() -> {
            consumer.rebalance(List.of(P0, P1));
            paused.add(Set.copyOf(consumer.paused()));
        });

        loop.step();
        loop.step();

        assertThat(paused).containsExactly(Set.of(P0, P1));
        assertThat(committed()).isEqualTo(Map.of(P0, 1L));
    }

    @Test
    void aDocumentTheEngineRejectsIsADeadLetterAndTheBatchIsCommittedAfterIt() {
        engine.script.add(writes -> new Outcome<>(List.of(writes.get(0)), 0, List.of(), null,
                List.of(new Rejection<>(writes.get(1), 400, "mapper_parsing_exception: failed to parse field [CUSTOMER_AGE]"))));
        record(P0, 0, "22", "iowa", 100);
        record(P0, 1, "23", "ur", 200);

        loop.step();
        loop.step();

        assertThat(producer.history()).singleElement().satisfies(deadLetter -> {
            assertThat(deadLetter.topic()).isEqualTo("shipped_orders.dlq");
            assertThat(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo(
                    "Elasticsearch rejected the document (400): mapper_parsing_exception: failed to parse field [CUSTOMER_AGE]");
            assertThat(ChangeHeaders.version(deadLetter.headers())).isEqualTo(200);
        });
        assertThat(committed()).isEqualTo(Map.of(P0, 2L));
    }

    @Test
    void moreRejectionsInARowThanAllowedAreHeldNotDeadLettered() {
        for (int i = 0; i < 2; i++) {
            engine.script.add(writes -> new Outcome<>(List.of(), 0, List.of(), null,
                    writes.stream().map(w -> new Rejection<>(w, 400, "mapper_parsing_exception: bad age")).toList()));
        }
        record(P0, 0, "23", "ur", 100);
        record(P0, 1, "24", "ur", 200);
        record(P0, 2, "25", "ur", 300);
        List<String> reasons = new ArrayList<>();
        duringTheBackOff(() -> reasons.add(health.notReadyReason()));

        loop.step();
        loop.step();

        assertThat(reasons).containsExactly("3 documents rejected in a row, none written (last: 400 mapper_parsing_exception "
                + "(document 25)): a broken mapping? Holding them; fix the index, or raise MAX_REJECTIONS_IN_A_ROW");
        assertThat(producer.history()).isEmpty();
        assertThat(committed()).isEqualTo(Map.of(P0, 3L));
        assertThat(engine.requests.get(engine.requests.size() - 1)).containsExactly("23@100", "24@200", "25@300");
    }

    @Test
    void aDeadLetterKafkaRefusesStopsTheSinkAndNothingIsCommitted() throws Exception {
        MockProducer<byte[], byte[]> refusing = new MockProducer<>(false, null, new ByteArraySerializer(), new ByteArraySerializer());
        SinkLoop refusingLoop = loop(refusing);
        record(P0, 0, "22", "not avro here", 100);
        consumer.addRecord(new ConsumerRecord<>(TOPIC, 0, 1, "29".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8)));

        CompletableFuture<Void> step = CompletableFuture.runAsync(refusingLoop::step);
        while (!refusing.errorNext(new RecordTooLargeException("too large"))) {
            Thread.onSpinWait();
        }

        assertThatThrownBy(step::join).hasRootCauseInstanceOf(RecordTooLargeException.class)
                .hasMessageContaining("Kafka did not take a dead letter");
        assertThat(committed()).isEmpty();
    }

    @Test
    void aCleanStopFinishesTheBatchUnderWayAndCommitsIt() {
        engine.script.add(writes -> {
            controls.stop();
            return new Outcome<>(writes, 0, List.of(), null, List.of());
        });
        record(P1, 0, "17", "texas", 300);

        loop.run();

        assertThat(committed()).isEqualTo(Map.of(P1, 1L));
    }

    @Test
    void aStaleWriteIsCountedAndCommittedLikeAWrittenOne() {
        engine.script.add(writes -> new Outcome<>(List.of(), 1, List.of(), null, List.of()));
        record(P0, 0, "22", "iowa", 100);

        loop.step();
        loop.step();

        assertThat(committed()).isEqualTo(Map.of(P0, 1L));
        assertThat(producer.history()).isEmpty();
    }
}
