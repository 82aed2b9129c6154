package io.streamingetl.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CommitCostsTest {

    private static String scrape(int commits, long flushNanos, long offsetsNanos, long endNanos) {
        String producer = "{client_id=\"join-StreamThread-1-producer\",service=\"shipment-join-service\"} ";
        return "kafka_stream_thread_commit_total{thread_id=\"join-StreamThread-1\",service=\"shipment-join-service\"} " + commits + ".0\n"
                + "kafka_producer_flush_time_ns_total" + producer + flushNanos + ".0\n"
                + "kafka_producer_txn_send_offsets_time_ns_total" + producer + offsetsNanos + ".0\n"
                + "kafka_producer_txn_commit_time_ns_total" + producer + endNanos + ".0\n";
    }

    @Test
    void eachPhaseIsAveragedOverTheCommitsBetweenTwoReadings() {
        CommitCosts warm = CommitCosts.of(scrape(10, 500_000_000L, 300_000_000L, 100_000_000L));
        CommitCosts end = CommitCosts.of(scrape(110, 2_500_000_000L, 2_300_000_000L, 1_100_000_000L));

        assertThat(end.since(warm).describe()).isEqualTo("100 commits, each flush 20.0 + offsets 20.0 + end 10.0 = 50.0 ms");
    }

    @Test
    void aServiceThatDidNotCommitSaysSo() {
        CommitCosts reading = CommitCosts.of(scrape(3, 1, 1, 1));

        assertThat(reading.since(reading).describe()).isEqualTo("no commits");
    }
}
