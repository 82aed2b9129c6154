package io.streamingetl.benchmark;

import io.streamingetl.runtime.PrometheusText;

/**
 * What a Kafka Streams service's exactly-once commits cost, as its own metrics count them (Kafka Streams' commits
 * and its producers' KIP-691 times): each commit flushes the producer, sends the consumed offsets to the
 * transaction and ends it, three round trips to the broker that a record waits for before the next stage reads it.
 */
record CommitCosts(double commits, double flushNanos, double sendOffsetsNanos, double endNanos) {

    /** The totals so far in one scrape of the service's {@code /metrics}. */
    static CommitCosts of(String scrape) {
        return new CommitCosts(PrometheusText.sum(scrape, "kafka_stream_thread_commit_total"),
                PrometheusText.sum(scrape, "kafka_producer_flush_time_ns_total"),
                PrometheusText.sum(scrape, "kafka_producer_txn_send_offsets_time_ns_total"),
                PrometheusText.sum(scrape, "kafka_producer_txn_commit_time_ns_total"));
    }

    /** What was counted between {@code before} and this reading. */
    CommitCosts since(CommitCosts before) {
        return new CommitCosts(commits - before.commits, flushNanos - before.flushNanos,
                sendOffsetsNanos - before.sendOffsetsNanos, endNanos - before.endNanos);
    }

    /** The average time in ms of a commit, its three phases together; NaN without commits. */
    double millisEach() {
        return commits <= 0 ? Double.NaN : (flushNanos + sendOffsetsNanos + endNanos) / 1e6 / commits;
    }

    /** The commits, and each of their phases in ms on average. */
    String describe() {
        if (commits <= 0) {
            return "no commits";
        }
        return String.format("%,.0f commits, each flush %.1f + offsets %.1f + end %.1f = %.1f ms", commits,
                flushNanos / 1e6 / commits, sendOffsetsNanos / 1e6 / commits, endNanos / 1e6 / commits, millisEach());
    }
}
