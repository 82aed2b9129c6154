package io.streamingetl.cli;

import java.time.Duration;
import java.time.Instant;

/**
 * Why an order's document is what it is, or why it is missing, in one line, from what {@code trace} found: the
 * last record of the order on each stage's topic, its dead letters, the document, and the sink's state. Checked in
 * the order a change flows, so the first stage that lost sight of it is the one named.
 */
record TraceVerdict(String orderId, Stage order, Stage enriched, Stage shipment, Stage shipped, DeadLetter deadLetter,
                    Document document, String sinkHeldBecause, long joinLateRecords, Duration window) {

    /** The last record of the order on a topic: where, and the event time it carries (null when it has none). */
    record Stage(String topic, long offset, Instant eventTime) {
    }

    /** The last dead letter naming the order: where, at which stage, why. */
    record DeadLetter(String topic, String stage, String reason) {
    }

    /** The document in the index, and whether it equals the last shipped order written for it. */
    record Document(String index, boolean matchesLastShippedOrder) {
    }

    String explain() {
        if (document != null && (shipped == null || document.matchesLastShippedOrder())) {
            return "document " + orderId + " is in " + document.index() + (shipped == null ? ""
                    : ", as the last record of " + shipped.topic() + " (offset " + shipped.offset() + ") has it");
        }
        if (deadLetter != null) {
            return "order " + orderId + " was dead-lettered at stage " + deadLetter.stage() + " (" + deadLetter.topic()
                    + "): " + deadLetter.reason() + "; fix the source or the mapping, then ./pipeline dlq replay " + deadLetter.topic();
        }
        if (shipped != null) {
            String state = sinkHeldBecause == null ? "not yet written by es-sink-service" : "held back by es-sink-service: " + sinkHeldBecause;
            return (document == null ? "document " + orderId + " is missing: " : "document " + orderId + " is older than "
                    + shipped.topic() + " offset " + shipped.offset() + ": ") + state;
        }
        if (order == null) {
            return "order " + orderId + " is on no topic: not captured (yet); see ./pipeline status logistics-cdc and the source";
        }
        if (enriched == null) {
            return "order " + orderId + " is on " + order.topic() + " but not yet on the enriched orders: enrichment-service "
                    + "has not processed it yet (see ./pipeline status)";
        }
        if (shipment == null) {
            return "order " + orderId + " is enriched; its shipment not yet seen, so there is nothing to join it with";
        }
        if (enriched.eventTime() != null && shipment.eventTime() != null) {
            Duration apart = Duration.between(enriched.eventTime(), shipment.eventTime()).abs();
            if (apart.compareTo(window) > 0) {
                return "order " + orderId + " and its shipment are " + apart.toDays() + " days apart in event time, outside"
                        + " the " + window.toDays() + "-day window: they are never joined";
            }
        }
        return "order " + orderId + " and its shipment are both seen and within the window but not joined: "
                + (joinLateRecords > 0 ? "late, not joined (the join has dropped " + joinLateRecords + " records behind its"
                + " stream time by more than the grace; see its late-records metric)" : "not yet processed by shipment-join-service");
    }
}
