package io.streamingetl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingetl.cli.TraceVerdict.DeadLetter;
import io.streamingetl.cli.TraceVerdict.Document;
import io.streamingetl.cli.TraceVerdict.Stage;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The one line {@code trace} ends with, for each way an order's document comes to be what it is. */
class TraceVerdictTest {
    private static final Duration WEEK = Duration.ofDays(7);
    private static final Instant APRIL = Instant.parse("2020-04-03T11:20:00Z");
    private static final Stage ORDER = new Stage("orders", 3, APRIL);
    private static final Stage ENRICHED = new Stage("enriched_orders", 4, APRIL);
    private static final Stage SHIPMENT = new Stage("shipments", 5, APRIL.plus(Duration.ofHours(1)));
    private static final Stage SHIPPED = new Stage("shipped_orders", 6, null);

    private static TraceVerdict verdict(Stage order, Stage enriched, Stage shipment, Stage shipped, DeadLetter deadLetter,
                                        Document document, String sinkHeld, long late) {
        return new TraceVerdict("31", order, enriched, shipment, shipped, deadLetter, document, sinkHeld, late, WEEK);
    }

    @Test
    void aDocumentAsTheLastShippedOrderHasItIsExplainedByThatRecord() {
        assertThat(verdict(ORDER, ENRICHED, SHIPMENT, SHIPPED, null, new Document("shipped_orders", true), null, 0).explain())
                .isEqualTo("document 31 is in shipped_orders, as the last record of shipped_orders (offset 6) has it");
    }

    @Test
    void aDeadLetterIsNamedWithItsStageTopicAndReason() {
        DeadLetter deadLetter = new DeadLetter("orders.dlq", "map", "ts 'yesterday' is not yyyy-MM-dd'T'HH:mm:ss");

        assertThat(verdict(null, null, null, null, deadLetter, null, null, 0).explain())
                .isEqualTo("order 31 was dead-lettered at stage map (orders.dlq): ts 'yesterday' is not yyyy-MM-dd'T'HH:mm:ss;"
                        + " fix the source or the mapping, then ./pipeline dlq replay orders.dlq");
    }

    @Test
    void aShippedOrderNotIndexedWhileTheSinkIsPausedIsHeldBackByIt() {
        assertThat(verdict(ORDER, ENRICHED, SHIPMENT, SHIPPED, null, null, "paused by an operator", 0).explain())
                .isEqualTo("document 31 is missing: held back by es-sink-service: paused by an operator");
    }

    @Test
    void aDocumentOlderThanTheLastShippedOrderIsNotYetWritten() {
        assertThat(verdict(ORDER, ENRICHED, SHIPMENT, SHIPPED, null, new Document("shipped_orders", false), null, 0).explain())
                .isEqualTo("document 31 is older than shipped_orders offset 6: not yet written by es-sink-service");
    }

    @Test
    void anOrderWithoutItsShipmentWaitsForIt() {
        assertThat(verdict(ORDER, ENRICHED, null, null, null, null, null, 0).explain())
                .isEqualTo("order 31 is enriched; its shipment not yet seen, so there is nothing to join it with");
    }

    @Test
    void aShipmentMoreThanTheWindowAwayIsNeverJoined() {
        Stage lateShipment = new Stage("shipments", 5, APRIL.plus(Duration.ofDays(9)));

        assertThat(verdict(ORDER, ENRICHED, lateShipment, null, null, null, null, 0).explain())
                .isEqualTo("order 31 and its shipment are 9 days apart in event time, outside the 7-day window: they are never joined");
    }

    @Test
    void bothSidesWithinTheWindowButNotJoinedAreLateWhenTheJoinDroppedRecords() {
        assertThat(verdict(ORDER, ENRICHED, SHIPMENT, null, null, null, null, 2).explain())
                .startsWith("order 31 and its shipment are both seen and within the window but not joined: late, not joined");
    }

    @Test
    void anOrderOnNoTopicWasNotCaptured() {
        assertThat(verdict(null, null, null, null, null, null, null, 0).explain())
                .startsWith("order 31 is on no topic: not captured (yet)");
    }
}
