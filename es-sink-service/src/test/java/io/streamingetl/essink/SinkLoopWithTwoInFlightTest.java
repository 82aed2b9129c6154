package io.streamingetl.essink;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.AbstractExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Every rule of {@link SinkLoopTest} with two bulk requests allowed under way (there each is answered as it is sent),
 * and what only several under way can show: requests held by the engine and answered in another order than sent.
 */
class SinkLoopWithTwoInFlightTest extends SinkLoopTest {
    @Override
    int concurrentRequests() {
        return 2;
    }

    /** Holds each submitted request until the test lets it run: an engine answering when the test says. */
    static final class HeldRequests extends AbstractExecutorService {
        final List<Runnable> held = new ArrayList<>();

        @Override
        public void execute(Runnable command) {
            held.add(command);
        }

        /** The {@code n}-th request sent (from 0) is answered now. */
        void answer(int n) {
            held.get(n).run();
        }

        @Override
        public void shutdown() {
        }

        @Override
        public List<Runnable> shutdownNow() {
            return List.of();
        }

        @Override
        public boolean isShutdown() {
            return false;
        }

        @Override
        public boolean isTerminated() {
            return false;
        }

        @Override
        public boolean awaitTermination(long timeout, TimeUnit unit) {
            return true;
        }
    }

    private final HeldRequests requests = new HeldRequests();

    /** A loop whose requests the test answers; made in the test, as it takes over the consumer's rebalance listener. */
    /** Order 22, then order 29, each cut as a batch of its own on P0 and sent; then both requests answered. */
    private void twoBatchesOfP0SentAndAnswered(SinkLoop twoInFlight) {
        record(P0, 0, "22", "iowa", 100);
        twoInFlight.step();
        record(P0, 1, "29", "ohio", 200);
        twoInFlight.step();
        requests.answer(0);
        requests.answer(1);
    }

    private SinkLoop heldLoop() {
        return loop(producer, requests, 2);
    }

    @Test
    void whileTwoRequestsAreUnderWayTheNextBatchGrowsAndTheCommitsWaitForTheOldest() {
        SinkLoop twoInFlight = heldLoop();
        record(P0, 0, "22", "iowa", 100);
        twoInFlight.step();
        record(P0, 1, "29", "ohio", 200);
        twoInFlight.step();
        record(P0, 2, "31", "maine", 300);
        twoInFlight.step();
        record(P1, 0, "40", "texas", 400);
        twoInFlight.step();
        assertThat(requests.held).as("two under way, the third batch growing").hasSize(2);

        requests.answer(1);
        twoInFlight.step();
        assertThat(committed()).as("the newer batch is written, the older not yet").isEmpty();

        requests.answer(0);
        twoInFlight.step();
        assertThat(committed()).isEqualTo(Map.of(P0, 2L));
        assertThat(requests.held).hasSize(3);

        requests.answer(2);
        twoInFlight.step();
        assertThat(committed()).isEqualTo(Map.of(P0, 3L, P1, 1L));
        assertThat(engine.requests).containsExactly(List.of("29@200"), List.of("22@100"), List.of("31@300", "40@400"));
    }

    @Test
    void theOldestBatchRefusedIsRetriedBeforeTheNewerOneTheEngineTookIsCommitted() {
        engine.script.add(writes -> {
            throw unreachable();
        });
        SinkLoop twoInFlight = heldLoop();
        twoBatchesOfP0SentAndAnswered(twoInFlight);
        List<Map<?, ?>> committedDuringTheBackOff = new ArrayList<>();
        duringTheBackOff(() -> committedDuringTheBackOff.add(committed()));

        twoInFlight.step();

        assertThat(committedDuringTheBackOff).containsExactly(Map.of());
        assertThat(committed()).isEqualTo(Map.of(P0, 2L));
        assertThat(engine.requests).containsExactly(List.of("22@100"), List.of("29@200"), List.of("22@100"));
        assertThat(health.isReady()).isTrue();
    }

    @Test
    void twoBatchesTheEngineTookWholeAreCommittedBeforeTheirPartitionsGo() {
        SinkLoop twoInFlight = heldLoop();
        twoBatchesOfP0SentAndAnswered(twoInFlight);
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P1)));

        twoInFlight.step();

        assertThat(committed()).isEqualTo(Map.of(P0, 2L));
        assertThat(consumer.assignment()).containsExactly(P1);
        assertThat(engine.requests).hasSize(2);
    }

    @Test
    void aNewerBatchTheEngineTookIsNotCommittedBeforeItsPartitionsGoWhenTheOlderOneFailed() {
        engine.script.add(writes -> {
            throw unreachable();
        });
        SinkLoop twoInFlight = heldLoop();
        twoBatchesOfP0SentAndAnswered(twoInFlight);
        consumer.schedulePollTask(() -> consumer.rebalance(List.of(P1)));

        twoInFlight.step();

        assertThat(committed()).as("both read again by the partition's next owner").isEmpty();
        assertThat(consumer.assignment()).containsExactly(P1);
    }

    @Test
    void aBatchWritingADocumentOfTheBatchUnderWayGoesOnlyOnceThatOneIsWritten() {
        SinkLoop twoInFlight = heldLoop();
        record(P0, 0, "22", "iowa", 100);
        twoInFlight.step();
        record(P0, 1, "22", "ohio", 200);
        requests.answer(0);

        twoInFlight.step();

        assertThat(committed()).as("the first written before the second went").isEqualTo(Map.of(P0, 1L));
        requests.answer(1);
        twoInFlight.step();
        assertThat(engine.requests).containsExactly(List.of("22@100"), List.of("22@200"));
        assertThat(committed()).isEqualTo(Map.of(P0, 2L));
    }
}
