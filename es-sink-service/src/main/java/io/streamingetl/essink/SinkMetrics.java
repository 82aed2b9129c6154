package io.streamingetl.essink;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.streamingetl.search.BulkWriter;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * What the sink counts: documents indexed and deleted, writes refused as stale (older than the indexed
 * version), bulk retries and latency, and the index's freshness ({@link IndexFreshness}).
 */
final class SinkMetrics {
    final Counter retries;
    final Timer bulkLatency;
    final IndexFreshness freshness;
    private final Counter indexed;
    private final Counter deleted;
    private final Counter stale;

    SinkMetrics(MeterRegistry registry) {
        this.indexed = Counter.builder("pipeline_es_documents_indexed").register(registry);
        this.deleted = Counter.builder("pipeline_es_documents_deleted").register(registry);
        this.retries = Counter.builder("pipeline_es_bulk_retries").register(registry);
        this.stale = Counter.builder("pipeline_es_stale_writes")
                .description("Writes older than the indexed version of their document, skipped").register(registry);
        this.bulkLatency = Timer.builder("pipeline_es_bulk_latency").publishPercentiles(0.5, 0.99).register(registry);
        this.freshness = new IndexFreshness(registry);
    }

    /** For {@code /status}: documents written, deletes, stale writes refused, and the index's freshness. */
    Map<String, Object> status() {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("documents_indexed", (long) indexed.count());
        status.put("documents_deleted", (long) deleted.count());
        status.put("stale_writes", (long) stale.count());
        status.putAll(freshness.status());
        return status;
    }

    /** What an attempt wrote and found stale. */
    void count(BulkWriter.Outcome<ConsumerRecord<byte[], byte[]>> outcome) {
        outcome.written().forEach(w -> {
            (w.document() == null ? deleted : indexed).increment();
            freshness.indexed(w.source());
        });
        stale.increment(outcome.stale());
    }
}
