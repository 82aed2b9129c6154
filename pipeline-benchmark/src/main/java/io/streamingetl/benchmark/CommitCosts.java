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

    /** Commits between {@code before} and this reading, and each of their phases in ms on average. */
    String since(CommitCosts before) {
        double count = commits - before.commits;
        if (count <= 0) {
            return "no commits";
        }
        return String.format("%,.0f commits, each flush %.1f + offsets %.1f + end %.1f = %.1f ms", count,
                (flushNanos - before.flushNanos) / 1e6 / count, (sendOffsetsNanos - before.sendOffsetsNanos) / 1e6 / count,
                (endNanos - before.endNanos) / 1e6 / count, millisEachSince(before));
    }

    /** The average time in ms of a commit between {@code before} and this reading, its three phases together; NaN without commits. */
    double millisEachSince(CommitCosts before) {
        double count = commits - before.commits;
        double nanos = flushNanos - before.flushNanos + sendOffsetsNanos - before.sendOffsetsNanos + endNanos - before.endNanos;
        return count <= 0 ? Double.NaN : nanos / 1e6 / count;
    }
}
