package io.streamingetl.essink;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamingetl.runtime.DeadLetterWriter;
import io.streamingetl.runtime.DeadLetters;
import io.streamingetl.runtime.Health;
import io.streamingetl.search.BulkWriter.Outcome;
import io.streamingetl.search.BulkWriter.Write;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetCommitCallback;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;

/**
 * The batches under way, several at once, on Kafka's MockConsumer: each batch's first request answered when the test
 * says, so every order in which the engine may answer is tried. What must hold whatever the order: offsets committed
 * only in the order the batches were cut and never past the oldest batch not fully written, retries and dead letters
 * finished before anything after them is committed, a document's writes sent in the order read, and before partitions
 * go only the oldest batches the engine took whole committed.
 */
class InFlightBatchesTest {
    private static final TopicPartition P0 = new TopicPartition("shipped_orders", 0);
    private static final TopicPartition P1 = new TopicPartition("shipped_orders", 1);

    /** Every commit made, in order, as "partition=offset" pairs. */
    private final List<String> commits = new ArrayList<>();
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest") {
        private boolean syncing;

        @Override
        public synchronized void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
            if (!syncing) {
                commits.add(describe(offsets));
            }
            super.commitAsync(offsets, callback);
        }

        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, java.time.Duration timeout) {
            commits.add("sync " + describe(offsets));
            syncing = true;
            try {
                super.commitSync(offsets, timeout);
            } finally {
                syncing = false;
            }
        }
    };
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final SinkMetrics metrics = new SinkMetrics(registry);
    /** The retries' requests (a batch's first request is its future's, below), as "id@version" lists. */
    private final List<List<String>> retries = new ArrayList<>();
    /** What every bulk request sent, first attempts and retries, in the order sent. */
    private final List<String> sent = new ArrayList<>();
    /** Each first attempt's future, by the batch's first document id: completed by the test. */
    private final Map<String, CompletableFuture<Outcome<ConsumerRecord<byte[], byte[]>>>> attempts = new LinkedHashMap<>();
    private final BatchWriter writer = new BatchWriter(writes -> {
        retries.add(ids(writes));
        sent.add("retry " + String.join(",", ids(writes)));
        return written(writes);
    }, new RetryPolicy(100), new DeadLetterWriter(new MockProducer<>(true, null, new ByteArraySerializer(),
            new ByteArraySerializer()), new DeadLetters(registry)), metrics, new Health(), "Elasticsearch");
    private final OffsetTracker offsets = new OffsetTracker(consumer);

    InFlightBatchesTest() {
        consumer.assign(List.of(P0, P1));
    }

    private InFlightBatches batches(int capacity) {
        return new InFlightBatches(capacity, writes -> {
            CompletableFuture<Outcome<ConsumerRecord<byte[], byte[]>>> attempt = new CompletableFuture<>();
            attempts.put(writes.isEmpty() ? "empty" + attempts.size() : writes.get(0).id(), attempt);
            sent.add(String.join(",", ids(writes)));
            return attempt;
        }, writer, offsets, metrics);
    }

    /** A waiter that lets every retry go at once, noting the commits made so far each time it is asked. */
    private final List<String> commitsSeenWhileWaiting = new ArrayList<>();
    private final Waiter retryAtOnce = (reason, failures) -> {
        commitsSeenWhileWaiting.add(String.join(" ", commits));
        return true;
    };
    /** A waiter that gives up (partitions revoked, the sink stopping). */
    private final Waiter givesUp = (reason, failures) -> false;

    private static String describe(Map<TopicPartition, OffsetAndMetadata> offsets) {
        return offsets.entrySet().stream().sorted(Map.Entry.comparingByKey((a, b) -> Integer.compare(a.partition(), b.partition())))
                .map(e -> "p" + e.getKey().partition() + "=" + e.getValue().offset()).reduce((a, b) -> a + "," + b).orElse("");
    }

    private static List<Write<ConsumerRecord<byte[], byte[]>>> writes(String... ids) {
        return Arrays.stream(ids).map(id -> new Write<>(new ConsumerRecord<>("shipped_orders", 0, 0L, new byte[0], new byte[0]),
                id, 100, Map.<String, Object>of("ORDER_ID", id))).toList();
    }

    private static List<String> ids(List<Write<ConsumerRecord<byte[], byte[]>>> writes) {
        return writes.stream().map(Write::id).toList();
    }

    private static Map<TopicPartition, OffsetAndMetadata> at(long p0, long p1) {
        Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
        positions.put(P0, new OffsetAndMetadata(p0));
        positions.put(P1, new OffsetAndMetadata(p1));
        return positions;
    }

    private static Outcome<ConsumerRecord<byte[], byte[]>> written(List<Write<ConsumerRecord<byte[], byte[]>>> writes) {
        return new Outcome<>(writes, 0, List.of(), null, List.of());
    }

    /** The engine took every write of the batch whose first document is {@code first}. */
    private void answerWhole(String first, List<Write<ConsumerRecord<byte[], byte[]>>> writes) {
        attempts.get(first).complete(written(writes));
    }

    private void answerRetry(String first, List<Write<ConsumerRecord<byte[], byte[]>>> writes) {
        attempts.get(first).complete(new Outcome<>(List.of(), 0, writes, "429 es_rejected_execution_exception: queue full",
                List.of()));
    }

    private void answerUnreachable(String first) {
        attempts.get(first).completeExceptionally(new ConnectException("Connection refused"));
    }

    @Test
    void aBatchAnsweredBeforeAnOlderOneWaitsForItAndTheCommitsFollowTheOrderCut() {
        InFlightBatches batches = batches(2);
        List<Write<ConsumerRecord<byte[], byte[]>>> first = writes("22", "29");
        List<Write<ConsumerRecord<byte[], byte[]>>> second = writes("17");
        batches.send(first, at(2, 0), retryAtOnce);
        batches.send(second, at(2, 1), retryAtOnce);

        answerWhole("17", second);
        assertThat(batches.oldestAnswered()).isFalse();
        assertThat(batches.finishAnswered(retryAtOnce)).isTrue();
        assertThat(commits).as("the newer batch is written, the older not yet").isEmpty();

        answerWhole("22", first);
        assertThat(batches.finishAnswered(retryAtOnce)).isTrue();

        assertThat(commits).containsExactly("p0=2,p1=0", "p0=2,p1=1");
        assertThat(batches.isEmpty()).isTrue();
    }

    @Test
    void aFullWindowSendsTheNextBatchOnlyOnceTheOldestIsFinished() {
        InFlightBatches batches = batches(2);
        List<Write<ConsumerRecord<byte[], byte[]>>> first = writes("1");
        batches.send(first, at(1, 0), retryAtOnce);
        batches.send(writes("2"), at(2, 0), retryAtOnce);
        assertThat(batches.full()).isTrue();
        answerWhole("1", first);

        batches.send(writes("3"), at(3, 0), retryAtOnce);

        assertThat(commits).containsExactly("p0=1,p1=0");
        assertThat(sent).containsExactly("1", "2", "3");
        assertThat(batches.size()).isEqualTo(2);
    }

    @Test
    void oneBatchInFlightSendsTheNextOnlyOnceTheLastIsWrittenAsBefore() {
        InFlightBatches batches = batches(1);
        List<Write<ConsumerRecord<byte[], byte[]>>> first = writes("1");
        batches.send(first, at(1, 0), retryAtOnce);
        assertThat(batches.full()).isTrue();
        answerWhole("1", first);

        batches.send(writes("2"), at(2, 0), retryAtOnce);

        assertThat(commits).containsExactly("p0=1,p1=0");
        assertThat(batches.size()).isEqualTo(1);
    }

    @Test
    void aBatchWritingADocumentOfABatchUnderWayIsSentOnlyOnceThatOneAndEveryOneBeforeItAreFinished() {
        InFlightBatches batches = batches(4);
        List<Write<ConsumerRecord<byte[], byte[]>>> first = writes("22");
        List<Write<ConsumerRecord<byte[], byte[]>>> second = writes("29", "31");
        batches.send(first, at(1, 0), retryAtOnce);
        batches.send(second, at(3, 0), retryAtOnce);
        batches.send(writes("40"), at(4, 0), retryAtOnce);
        answerWhole("22", first);
        answerWhole("29", second);

        batches.send(writes("31", "50"), at(6, 0), retryAtOnce);

        assertThat(commits).as("finished up to the batch that also writes 31").containsExactly("p0=1,p1=0", "p0=3,p1=0");
        assertThat(sent).containsExactly("22", "29,31", "40", "31,50");
        assertThat(batches.size()).isEqualTo(2);
    }

    @Test
    void aDocumentRetriedInAnOlderBatchIsWrittenAgainBeforeANewerBatchWritingItIsSent() {
        InFlightBatches batches = batches(2);
        List<Write<ConsumerRecord<byte[], byte[]>>> first = writes("22", "29");
        batches.send(first, at(2, 0), retryAtOnce);
        answerRetry("22", first.subList(1, 2));

        batches.send(writes("29"), at(3, 0), retryAtOnce);

        assertThat(sent).containsExactly("22,29", "retry 29", "29");
        assertThat(commits).containsExactly("p0=2,p1=0");
    }

    @Test
    void whileTheOldestBatchIsRetriedNothingAfterItIsCommittedThoughTheEngineTookIt() {
        InFlightBatches batches = batches(3);
        List<Write<ConsumerRecord<byte[], byte[]>>> first = writes("22");
        List<Write<ConsumerRecord<byte[], byte[]>>> second = writes("29");
        List<Write<ConsumerRecord<byte[], byte[]>>> third = writes("17");
        batches.send(first, at(1, 0), retryAtOnce);
        batches.send(second, at(2, 0), retryAtOnce);
        batches.send(third, at(2, 1), retryAtOnce);
        answerWhole("29", second);
        answerWhole("17", third);
        answerUnreachable("22");

        assertThat(batches.finishAnswered(retryAtOnce)).isTrue();

        assertThat(commitsSeenWhileWaiting).containsExactly("");
        assertThat(retries).containsExactly(List.of("22"));
        assertThat(commits).containsExactly("p0=1,p1=0", "p0=2,p1=0", "p0=2,p1=1");
    }

    @Test
    void anOldestBatchGivenUpCommitsNothingOfItOrOfTheBatchesAfterIt() {
        InFlightBatches batches = batches(2);
        List<Write<ConsumerRecord<byte[], byte[]>>> first = writes("22");
        List<Write<ConsumerRecord<byte[], byte[]>>> second = writes("29");
        batches.send(first, at(1, 0), retryAtOnce);
        batches.send(second, at(2, 0), retryAtOnce);
        answerWhole("29", second);
        answerUnreachable("22");

        assertThat(batches.finishAnswered(givesUp)).isFalse();
        batches.abandon();

        assertThat(commits).isEmpty();
        assertThat(batches.isEmpty()).isTrue();
    }

    @Test
    void abandoningCancelsTheRequestsNotYetAnswered() {
        InFlightBatches batches = batches(2);
        batches.send(writes("22"), at(1, 0), retryAtOnce);
        batches.send(writes("29"), at(2, 0), retryAtOnce);

        batches.abandon();

        assertThat(attempts.values()).allMatch(CompletableFuture::isCancelled);
        assertThat(commits).isEmpty();
    }

    @Test
    void beforePartitionsGoTheOldestBatchesTakenWholeAreCommittedInOneSyncCommitAndNoneAfterOneThatIsNot() {
        InFlightBatches batches = batches(4);
        List<Write<ConsumerRecord<byte[], byte[]>>> first = writes("1");
        List<Write<ConsumerRecord<byte[], byte[]>>> second = writes("2");
        List<Write<ConsumerRecord<byte[], byte[]>>> third = writes("3");
        List<Write<ConsumerRecord<byte[], byte[]>>> fourth = writes("4");
        batches.send(first, at(1, 0), retryAtOnce);
        batches.send(second, at(2, 0), retryAtOnce);
        batches.send(third, at(3, 0), retryAtOnce);
        batches.send(fourth, at(4, 0), retryAtOnce);
        answerWhole("1", first);
        answerWhole("2", second);
        answerRetry("3", third);
        answerWhole("4", fourth);

        batches.commitWrittenBeforeRevocation();

        assertThat(commits).containsExactly("sync p0=2,p1=0");
        assertThat(batches.size()).as("the third and fourth, to be read again by the next owner").isEqualTo(2);
        assertThat(registry.get("pipeline_es_documents_indexed").counter().count()).isEqualTo(2);
    }

    @Test
    void beforePartitionsGoNothingIsCommittedWhenTheOldestBatchFailedAtItsFirstAttempt() {
        InFlightBatches batches = batches(2);
        List<Write<ConsumerRecord<byte[], byte[]>>> second = writes("2");
        batches.send(writes("1"), at(1, 0), retryAtOnce);
        batches.send(second, at(2, 0), retryAtOnce);
        answerUnreachable("1");
        answerWhole("2", second);

        batches.commitWrittenBeforeRevocation();

        assertThat(commits).isEmpty();
        assertThat(batches.size()).isEqualTo(2);
    }

    @Test
    void partitionsRevokedWhileTheOldestBatchWaitsForARetryCommitNothingAfterIt() {
        InFlightBatches batches = batches(2);
        List<Write<ConsumerRecord<byte[], byte[]>>> first = writes("1");
        List<Write<ConsumerRecord<byte[], byte[]>>> second = writes("2");
        batches.send(first, at(1, 0), retryAtOnce);
        batches.send(second, at(2, 0), retryAtOnce);
        answerUnreachable("1");
        answerWhole("2", second);
        // The rebalance callback runs inside the back-off's poll, while the oldest batch is being finished.
        Waiter revokedDuringTheBackOff = (reason, failures) -> {
            batches.commitWrittenBeforeRevocation();
            return false;
        };

        assertThat(batches.finishAnswered(revokedDuringTheBackOff)).isFalse();

        assertThat(commits).isEmpty();
    }

    @Test
    void aStopFinishesEveryBatchInOrderAndCommitsNothingPastOneItCouldNotFinish() {
        InFlightBatches batches = batches(3);
        List<Write<ConsumerRecord<byte[], byte[]>>> first = writes("1");
        List<Write<ConsumerRecord<byte[], byte[]>>> second = writes("2");
        List<Write<ConsumerRecord<byte[], byte[]>>> third = writes("3");
        batches.send(first, at(1, 0), retryAtOnce);
        batches.send(second, at(2, 0), retryAtOnce);
        batches.send(third, at(3, 0), retryAtOnce);
        answerWhole("1", first);
        answerRetry("2", second);
        answerWhole("3", third);

        assertThat(batches.finishAll(givesUp)).isFalse();

        assertThat(commits).containsExactly("p0=1,p1=0");
    }

    @Test
    void aBatchOfDeadLettersAloneIsCommittedInItsTurn() {
        InFlightBatches batches = batches(2);
        List<Write<ConsumerRecord<byte[], byte[]>>> first = writes("1");
        batches.send(first, at(1, 0), retryAtOnce);
        batches.send(List.of(), at(3, 0), retryAtOnce);
        attempts.get("empty1").complete(written(List.of()));
        assertThat(batches.finishAnswered(retryAtOnce)).isTrue();
        assertThat(commits).isEmpty();

        answerWhole("1", first);
        assertThat(batches.finishAnswered(retryAtOnce)).isTrue();

        assertThat(commits).containsExactly("p0=1,p1=0", "p0=3,p1=0");
    }

    @Test
    void theRecordsOfEveryBatchUnderWayAreStillHeld() {
        InFlightBatches batches = batches(2);
        batches.send(writes("1", "2"), at(2, 0), retryAtOnce);
        batches.send(writes("3"), at(3, 0), retryAtOnce);
        List<ConsumerRecord<byte[], byte[]>> held = new ArrayList<>();

        batches.forEachRecord(held::add);

        assertThat(held).hasSize(3);
        assertThat(Set.copyOf(attempts.keySet())).containsExactlyInAnyOrder("1", "3");
    }

    @Test
    void noFewerThanOneBatchInFlight() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> batches(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
