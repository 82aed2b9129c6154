package io.streamingetl.essink;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamingetl.contract.ChangeHeaders;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * How stale the index is, measured where it matters: from a change's commit in its source database (the
 * {@link ChangeHeaders} it carries) to Elasticsearch acknowledging its document, one observation per written
 * document, by source table or collection. {@code pipeline_index_freshness_seconds} is a histogram (buckets
 * from 10 ms to 10 min) for Prometheus's {@code histogram_quantile} over any window and any number of sink
 * instances, and for the benchmark; {@code pipeline_index_freshness_recent_seconds} gives p50/p99 over about
 * the last minute for whoever reads {@code /metrics} alone (the demo's progress line, {@code ./pipeline
 * status}). {@code pipeline_index_oldest_unindexed_age_seconds} is the age of the oldest change the sink
 * holds and has not written yet (0 when it holds none), which keeps growing while Elasticsearch is away.
 */
final class IndexFreshness {
    private final MeterRegistry registry;
    private final AtomicLong oldestPendingMillis = new AtomicLong();
    /** By source: its histogram and its recent-percentiles timer, registered at the source's first document. */
    private final Map<String, List<Timer>> timers = new ConcurrentHashMap<>();

    IndexFreshness(MeterRegistry registry) {
        this.registry = registry;
        registry.gauge("pipeline_index_oldest_unindexed_age_seconds", oldestPendingMillis,
                oldest -> oldest.get() == 0 ? 0 : (System.currentTimeMillis() - oldest.get()) / 1000.0);
    }

    /** A record polled, not yet written. */
    void pending(ConsumerRecord<byte[], byte[]> record) {
        long source = ChangeHeaders.sourceMillis(record.headers());
        if (source > 0) {
            oldestPendingMillis.accumulateAndGet(source, (oldest, next) -> oldest == 0 ? next : Math.min(oldest, next));
        }
    }

    /** A record's document acknowledged by Elasticsearch now. */
    void indexed(ConsumerRecord<byte[], byte[]> record) {
        long source = ChangeHeaders.sourceMillis(record.headers());
        if (source > 0) {
            Duration freshness = Duration.ofMillis(Math.max(0, System.currentTimeMillis() - source));
            timers.computeIfAbsent(ChangeHeaders.sourceName(record.headers()), name -> List.of(histogram(name), recent(name)))
                    .forEach(timer -> timer.record(freshness));
        }
    }

    /** The batch is written (or handed back to be polled again): the sink holds nothing. */
    void nothingPending() {
        oldestPendingMillis.set(0);
    }

    /** p50 and p99 over about the last minute (the worst source's), and the oldest change held unwritten, in seconds. */
    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("freshness_p50_seconds", recentPercentile(0.5));
        status.put("freshness_p99_seconds", recentPercentile(0.99));
        long oldest = oldestPendingMillis.get();
        status.put("oldest_unindexed_age_seconds", oldest == 0 ? 0.0 : (System.currentTimeMillis() - oldest) / 1000.0);
        return status;
    }

    private Double recentPercentile(double percentile) {
        return timers.values().stream().map(t -> t.get(1).takeSnapshot())
                .flatMap(snapshot -> Arrays.stream(snapshot.percentileValues()))
                .filter(p -> p.percentile() == percentile).map(p -> p.value(TimeUnit.SECONDS))
                .max(Double::compare).orElse(null);
    }

    private Timer histogram(String source) {
        return Timer.builder("pipeline_index_freshness")
                .description("From the commit in the source database to the document acknowledged by Elasticsearch")
                .tag("source", source)
                .publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(10))
                .maximumExpectedValue(Duration.ofMinutes(10))
                .register(registry);
    }

    private Timer recent(String source) {
        return Timer.builder("pipeline_index_freshness_recent")
                .description("The same, p50 and p99 over about the last minute")
                .tag("source", source)
                .publishPercentiles(0.5, 0.99)
                .distributionStatisticExpiry(Duration.ofMinutes(1))
                .distributionStatisticBufferLength(2)
                .register(registry);
    }
}
