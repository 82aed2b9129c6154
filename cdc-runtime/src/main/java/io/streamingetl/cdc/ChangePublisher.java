package io.streamingetl.cdc;

import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamingetl.contract.ChangeHeaders;
import io.streamingetl.runtime.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;

/**
 * A batch of Debezium's changes into Kafka before any counts as processed: each change mapped by the service's
 * {@link ChangeRouter} and stamped with its {@link ChangeHeaders}, produced, and only once Kafka acknowledged
 * every record is each change marked processed and the batch finished. A change that cannot be mapped, larger
 * than {@code MAX_CHANGE_BYTES}, or that the broker refuses for itself (a timestamp out of its range, a record
 * too large) becomes a dead letter with the reason; anything else Kafka does not acknowledge stops the engine,
 * and the restarted capture takes the batch again.
 */
final class ChangePublisher implements DebeziumEngine.ChangeConsumer<RecordChangeEvent<SourceRecord>> {
    private static final String SOURCE_TIME_HEADER = "__" + ChangeCapture.SOURCE_TIME_FIELD.replace('.', '_');

    private final String service;
    private final ChangeRouter router;
    private final int maxChangeBytes;
    private final Producer<byte[], byte[]> producer;
    private final DeadLetters deadLetters;
    private final MeterRegistry registry;
    private final JsonConverter rawJson = new JsonConverter();
    private final AtomicLong lastSourceMillis = new AtomicLong();
    private final AtomicLong streamedBatches = new AtomicLong();
    private final Counter heartbeats;

    ChangePublisher(String service, ChangeRouter router, int maxChangeBytes, Producer<byte[], byte[]> producer,
                    MeterRegistry registry) {
        this.service = service;
        this.router = router;
        this.maxChangeBytes = maxChangeBytes;
        this.producer = producer;
        this.registry = registry;
        this.deadLetters = new DeadLetters(registry);
        rawJson.configure(Map.of("schemas.enable", false, "converter.type", "value"));
        registry.gauge("pipeline_cdc_last_event_source_time_seconds", lastSourceMillis, v -> v.get() / 1000.0);
        this.heartbeats = Counter.builder("pipeline_cdc_heartbeats")
                .description("Heartbeats from the source: it is alive, whether or not anything changes").register(registry);
    }

    /**
     * Batches acknowledged by Kafka that held a streamed change (or heartbeat) rather than a snapshot's row: once one more
     * is, every snapshot row before it is on its topic, as batches are published in order.
     */
    long streamedBatches() {
        return streamedBatches.get();
    }

    /** The source time of the last change captured, in ms since the epoch; 0 before the first. */
    long lastSourceMillis() {
        return lastSourceMillis.get();
    }

    @Override
    public void handleBatch(List<RecordChangeEvent<SourceRecord>> batch,
                             DebeziumEngine.RecordCommitter<RecordChangeEvent<SourceRecord>> committer)
            throws InterruptedException {
        List<Sent> round = new ArrayList<>();
        for (RecordChangeEvent<SourceRecord> event : batch) {
            SourceRecord change = event.record();
            for (ProducerRecord<byte[], byte[]> record : map(change)) {
                round.add(new Sent(change, record, producer.send(record)));
            }
        }
        List<Future<RecordMetadata>> deadLettersSent = new ArrayList<>();
        while (!round.isEmpty()) {
            int firstFailure = -1;
            List<Sent> refused = new ArrayList<>();
            for (int i = 0; i < round.size(); i++) {
                Sent one = round.get(i);
                try {
                    counter("pipeline_cdc_events", one.ack().get().topic()).increment();
                    continue;
                } catch (ExecutionException e) {
                    // Dead-lettered rather than a capture that stops on it, and again after every restart.
                    if (DeadLetters.refusedByTheBrokerForItself(e.getCause())) {
                        refused.add(one);
                        counter("pipeline_cdc_errors", one.change().topic()).increment();
                        deadLettersSent.add(producer.send(deadLetter("produce", one.change(), e.getCause())));
                    } else if (e.getCause().getClass() != KafkaException.class) {
                        // Not marked processed: the engine stops, and the restarted service captures the batch again.
                        throw new IllegalStateException(service + ": Kafka did not acknowledge a change: " + e.getCause(), e.getCause());
                    }
                }
                firstFailure = firstFailure < 0 ? i : firstFailure;
            }
            if (firstFailure >= 0 && refused.isEmpty()) {
                throw new IllegalStateException(service + ": Kafka did not acknowledge a batch of changes and named no record");
            }
            // The broker fails a refused record's batchmates with it (a plain KafkaException): everything from the
            // first failure on is sent again, in order, so a later version of a key still lands after an earlier one.
            round = firstFailure < 0 ? List.of() : round.subList(firstFailure, round.size()).stream()
                    .filter(one -> !refused.contains(one))
                    .map(one -> new Sent(one.change(), one.record(), producer.send(one.record())))
                    .toList();
        }
        for (Future<RecordMetadata> deadLetter : deadLettersSent) {
            try {
                deadLetter.get();
            } catch (ExecutionException e) {
                throw new IllegalStateException(service + ": Kafka did not take a dead letter: " + e.getCause(), e.getCause());
            }
        }
        for (RecordChangeEvent<SourceRecord> event : batch) {
            committer.markProcessed(event);
        }
        committer.markBatchFinished();
        if (batch.stream().anyMatch(event -> streamed(event.record()))) {
            streamedBatches.incrementAndGet();
        }
    }

    /** Not a snapshot's row: Postgres' snapshot offsets carry "snapshot", MongoDB's "initsync". */
    private static boolean streamed(SourceRecord change) {
        Map<String, ?> offset = change.sourceOffset();
        return offset != null && !offset.containsKey("snapshot") && !offset.containsKey("initsync");
    }

    /** A record produced for a change, and the broker's answer to come. */
    private record Sent(SourceRecord change, ProducerRecord<byte[], byte[]> record, Future<RecordMetadata> ack) {
    }

    private List<ProducerRecord<byte[], byte[]>> map(SourceRecord change) {
        if (change.topic().startsWith(ChangeCapture.HEARTBEAT_TOPIC_PREFIX)) {
            heartbeats.increment();
        }
        try {
            if (change.sourceOffset() != null) {
                // Postgres offsets carry the commit time in microseconds, MongoDB's the cluster time in seconds.
                // A heartbeat of the MongoDB stand-in carries sec=-1: only a real time moves the gauge, and only on.
                if (change.sourceOffset().get("ts_usec") instanceof Number micros && micros.longValue() > 0) {
                    lastSourceMillis.accumulateAndGet(micros.longValue() / 1000, Math::max);
                } else if (change.sourceOffset().get("sec") instanceof Number seconds && seconds.longValue() > 0) {
                    lastSourceMillis.accumulateAndGet(seconds.longValue() * 1000, Math::max);
                }
            }
            List<ProducerRecord<byte[], byte[]>> records = router.route(change);
            for (ProducerRecord<byte[], byte[]> record : records) {
                stamp(record.headers(), change);
                int size = sizeOf(record);
                if (size > maxChangeBytes) {
                    counter("pipeline_cdc_errors", change.topic()).increment();
                    return List.of(deadLetter("size", change, new RecordTooLargeException("the change is " + size
                            + " bytes as a record of " + record.topic() + ", over " + CdcSettings.MAX_CHANGE_BYTES + " ("
                            + maxChangeBytes + ")")));
                }
            }
            return records;
        } catch (Exception e) {
            counter("pipeline_cdc_errors", change.topic()).increment();
            return List.of(deadLetter("map", change, e));
        }
    }

    /** What {@link #map} makes of a change, counting and recording nothing: for the warm-up. */
    List<ProducerRecord<byte[], byte[]>> mapUncounted(SourceRecord change) throws Exception {
        List<ProducerRecord<byte[], byte[]>> records = router.route(change);
        for (ProducerRecord<byte[], byte[]> record : records) {
            stamp(record.headers(), change);
            sizeOf(record);
        }
        return records;
    }

    /** The commit time in the source database, as Debezium put it in the change's envelope; 0 when unknown. */
    private static long sourceMillis(SourceRecord change) {
        Header header = change.headers().lastWithName(SOURCE_TIME_HEADER);
        return header != null && header.value() instanceof Number millis ? millis.longValue() : 0;
    }

    /** The captured table or collection ({@code public.customers}, {@code logistics.orders}): Debezium's topic less its prefix. */
    private static String sourceName(SourceRecord change) {
        int prefix = change.topic().indexOf('.');
        return prefix < 0 ? change.topic() : change.topic().substring(prefix + 1);
    }

    private void stamp(Headers headers, SourceRecord change) {
        ChangeHeaders.stamp(headers, sourceMillis(change), sourceName(change), ChangeHeaders.positionOf(change.sourceOffset()));
    }

    /** A record's size as the producer counts it against {@code max.request.size}, near enough: key, value, headers. */
    private static int sizeOf(ProducerRecord<byte[], byte[]> record) {
        int size = (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
        for (org.apache.kafka.common.header.Header header : record.headers()) {
            size += header.key().length() + (header.value() == null ? 0 : header.value().length);
        }
        return size;
    }

    /** A change as JSON (key and value) on its topic's dead-letter topic, with the headers its record would have had. */
    private ProducerRecord<byte[], byte[]> deadLetter(String stage, SourceRecord change, Throwable error) {
        Headers headers = new RecordHeaders();
        stamp(headers, change);
        return deadLetters.record(stage, router.deadLetterTopicFor(change),
                String.valueOf(change.sourcePartition()), String.valueOf(change.sourceOffset()),
                json(change.topic(), change.keySchema(), change.key()),
                json(change.topic(), change.valueSchema(), change.value()), headers, error);
    }

    private byte[] json(String topic, Schema schema, Object value) {
        if (value == null) {
            return null;
        }
        try {
            return rawJson.fromConnectData(topic, schema, value);
        } catch (RuntimeException e) {
            return String.valueOf(value).getBytes(StandardCharsets.UTF_8);
        }
    }

    private Counter counter(String name, String topic) {
        return Counter.builder(name).tag("topic", topic).register(registry);
    }
}
