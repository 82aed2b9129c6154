package io.streamingetl.cdc;

import io.debezium.embedded.Connect;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.RecordChangeEvent;
import io.debezium.engine.format.ChangeEventFormat;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.streamingetl.contract.ChangeHeaders;
import io.streamingetl.contract.Topic;
import io.streamingetl.runtime.DeadLetters;
import io.streamingetl.runtime.Health;
import io.streamingetl.runtime.Service;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.TopicAdmin;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.header.Header;
import org.apache.kafka.connect.json.JsonConverter;
import org.apache.kafka.connect.source.SourceRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Debezium embedded engine whose changes reach Kafka before they count as processed: each batch is
 * mapped by the service's {@link ChangeRouter}, produced (idempotent producer, acks=all), and only once
 * Kafka acknowledged every record is each change marked processed and the batch finished. The engine
 * then stores its source offsets in Kafka. A crash can therefore repeat changes, never lose one. A change
 * that cannot be mapped, larger than {@code MAX_CHANGE_BYTES}, or that the broker refuses for itself (a
 * timestamp out of its range, a record too large), becomes a dead letter with the reason, and capture goes on.
 */
public final class ChangeCapture implements Service {
    private static final Logger LOG = LoggerFactory.getLogger(ChangeCapture.class);
    /** The envelope field the unwrap transform copies into a header ({@code add.headers}), as {@code __source.ts_ms}. */
    public static final String SOURCE_TIME_FIELD = "source.ts_ms";
    /** Debezium's heartbeat records go to topics named so; the routers drop them. */
    public static final String HEARTBEAT_TOPIC_PREFIX = "__debezium-heartbeat";
    private static final String SOURCE_TIME_HEADER = "__" + SOURCE_TIME_FIELD.replace('.', '_');

    private final String service;
    private final CdcSettings settings;
    private final Source source;
    private final Producer<byte[], byte[]> producer;
    private final DeadLetters deadLetters;
    private final Health health;
    private final JsonConverter rawJson = new JsonConverter();
    private final DebeziumEngine<RecordChangeEvent<SourceRecord>> engine;
    private final ExecutorService executor;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final MeterRegistry registry;
    private final AtomicLong lastSourceMillis = new AtomicLong();
    private final Counter heartbeats;
    private volatile Throwable failure;

    ChangeCapture(String service, CdcSettings settings, Source source, MeterRegistry registry, Health health) {
        this.service = service;
        this.settings = settings;
        this.source = source;
        this.registry = registry;
        this.health = health;
        this.deadLetters = new DeadLetters(registry);
        this.producer = new KafkaProducer<>(settings.kafka().with(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.CLIENT_ID_CONFIG, service + "-producer")),
                new ByteArraySerializer(), new ByteArraySerializer());
        rawJson.configure(Map.of("schemas.enable", false, "converter.type", "value"));
        registry.gauge("pipeline_cdc_last_event_source_time_seconds", lastSourceMillis, v -> v.get() / 1000.0);
        this.heartbeats = Counter.builder("pipeline_cdc_heartbeats")
                .description("Heartbeats from the source: it is alive, whether or not anything changes").register(registry);

        Properties properties = settings.engineProperties();
        properties.putAll(source.connectorProperties());
        properties.putAll(settings.debeziumPassThrough());
        this.engine = DebeziumEngine.create(ChangeEventFormat.of(Connect.class))
                .using(properties)
                .using(new DebeziumEngine.ConnectorCallback() {
                    @Override
                    public void pollingStarted() {
                        LOG.info("{}: capturing changes", service);
                        health.ready();
                    }

                    @Override
                    public void pollingStopped() {
                        health.notReady("capture stopped");
                    }
                })
                .using((success, message, error) -> {
                    if (!success) {
                        failure = error == null ? new IllegalStateException(message) : error;
                        LOG.error("{}: the Debezium engine stopped: {}", service, message, error);
                        health.failed(message);
                    } else {
                        LOG.info("{}: the Debezium engine stopped", service);
                    }
                    stopped.countDown();
                })
                .notifying(this::handleBatch)
                .build();
        this.executor = Executors.newSingleThreadExecutor(r -> new Thread(r, service + "-engine"));
    }

    /**
     * What a CDC service captures: its connector's properties, how changes become records, the topics they
     * go to, and a summary to log.
     */
    public record Source(Properties connectorProperties, ChangeRouter router, List<Topic<String, ?>> topics,
                         Object description) {
    }

    /** The factory of a CDC service whose source {@code sourceFromSettings} reads (validated first). */
    public static Service.Factory factory(Function<Settings, Source> sourceFromSettings) {
        return (settings, runtime) -> {
            Source source = sourceFromSettings.apply(settings);
            return new ChangeCapture(runtime.service(), CdcSettings.from(settings, runtime.service()), source,
                    runtime.registry(), runtime.health());
        };
    }

    @Override
    public List<Topic<String, ?>> topics() {
        return source.topics();
    }

    /** Creates the topics the changes go to when missing (not left to auto-creation), then starts capturing. */
    @Override
    public void start() throws InterruptedException {
        TopicAdmin.ensureTopics(settings.kafka(), source.topics().stream().map(Topic::name).toList(), settings.topicLayout(),
                health);
        health.notReady("connecting to the source database");
        executor.execute(engine);
    }

    @Override
    public boolean awaitStop() throws InterruptedException {
        stopped.await();
        return failure != null;
    }

    private void handleBatch(List<RecordChangeEvent<SourceRecord>> batch,
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
    }

    /** A record produced for a change, and the broker's answer to come. */
    private record Sent(SourceRecord change, ProducerRecord<byte[], byte[]> record, Future<RecordMetadata> ack) {
    }

    private List<ProducerRecord<byte[], byte[]>> map(SourceRecord change) {
        if (change.topic().startsWith(HEARTBEAT_TOPIC_PREFIX)) {
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
            List<ProducerRecord<byte[], byte[]>> records = source.router().route(change);
            for (ProducerRecord<byte[], byte[]> record : records) {
                stamp(record.headers(), change);
                int size = sizeOf(record);
                if (size > settings.maxChangeBytes()) {
                    counter("pipeline_cdc_errors", change.topic()).increment();
                    return List.of(deadLetter("size", change, new RecordTooLargeException("the change is " + size
                            + " bytes as a record of " + record.topic() + ", over " + CdcSettings.MAX_CHANGE_BYTES + " ("
                            + settings.maxChangeBytes() + ")")));
                }
            }
            return records;
        } catch (Exception e) {
            counter("pipeline_cdc_errors", change.topic()).increment();
            return List.of(deadLetter("map", change, e));
        }
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
        return deadLetters.record(stage, source.router().deadLetterTopicFor(change),
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

    @Override
    public void close() {
        try {
            if (stopped.getCount() > 0) {
                engine.close();
            }
        } catch (IOException | IllegalStateException e) {
            // Debezium's engine refuses to close twice, or once it stopped by itself.
            LOG.warn("{}: closing the engine: {}", service, e.toString());
        }
        executor.shutdown();
        try {
            executor.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        producer.close();
        stopped.countDown();
    }

    @Override
    public String toString() {
        return source.description() + ", offsets in " + settings.offsetsTopic();
    }
}
