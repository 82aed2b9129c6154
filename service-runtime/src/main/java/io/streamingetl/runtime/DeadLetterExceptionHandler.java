package io.streamingetl.runtime;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.streamingetl.contract.EventTime;
import io.streamingetl.contract.SchemaRegistry;
import io.streamingetl.contract.Topics;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.AvroRuntimeException;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.errors.DeserializationExceptionHandler;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.apache.kafka.streams.errors.ProcessingExceptionHandler;
import org.apache.kafka.streams.errors.ProductionExceptionHandler;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Kafka Streams' own error hooks (KIP-1033/1034) turned into the contract's dead letters: a record that
 * cannot be decoded, whose processing fails on its data (see {@link #isDataError}), or whose output the
 * broker refuses for itself (too large, a timestamp out of range) is produced to its input's {@code .dlq}
 * by Streams itself, in the same transaction as the offsets under exactly-once, and processing resumes with
 * the next record. Anything else thrown while processing is a bug, not bad data: the service fails, so
 * it is seen and fixed, rather than emptying its input into the dead-letter topic. A schema registry that
 * cannot be asked is no fault of the record either: the thread fails and {@link StreamsService} replaces it,
 * so the record is read again from the committed offset.
 *
 * <p>A record read from an internal topic (a repartition) is dead-lettered to the {@code .dlq} of the declared
 * input it was made from ({@link DeclaredInputs}), its {@code source.topic} saying where it was read.
 *
 * <p>Kafka Streams 4.3 cannot send dead letters from the global thread (a GlobalKTable's source) and fails
 * if asked to; for that thread this handler writes the dead letter itself ({@link GlobalThreadDeadLetters}, closed
 * with the service), waiting for Kafka's ack, before the global thread moves on. A dead letter Kafka does not take,
 * on any thread, stops the service: a record is never skipped without one.
 */
public final class DeadLetterExceptionHandler
        implements DeserializationExceptionHandler, ProcessingExceptionHandler, ProductionExceptionHandler {
    /** The streams property that carries the service's {@link MeterRegistry}; the global one if absent. */
    public static final String METER_REGISTRY_CONFIG = "pipeline.meter.registry";
    /** The streams property that carries the topology's {@link DeclaredInputs}; none if absent. */
    public static final String DECLARED_INPUTS_CONFIG = "pipeline.declared.inputs";
    /** The streams property that carries the service's {@link GlobalThreadDeadLetters}; one of its own if absent. */
    public static final String GLOBAL_THREAD_DEAD_LETTERS_CONFIG = "pipeline.global.thread.dead.letters";

    private static final Logger LOG = LoggerFactory.getLogger(DeadLetterExceptionHandler.class);
    private static final int GLOBAL_TASK = -1;

    private DeadLetters deadLetters;
    private DeclaredInputs inputs = DeclaredInputs.none();
    private GlobalThreadDeadLetters globalThread;

    @Override
    public void configure(Map<String, ?> configs) {
        Object registry = configs.get(METER_REGISTRY_CONFIG);
        deadLetters = new DeadLetters(registry instanceof MeterRegistry r ? r : Metrics.globalRegistry);
        if (configs.get(DECLARED_INPUTS_CONFIG) instanceof DeclaredInputs declared) {
            inputs = declared;
        }
        if (configs.get(GLOBAL_THREAD_DEAD_LETTERS_CONFIG) instanceof GlobalThreadDeadLetters shared) {
            globalThread = shared;
        } else {
            Map<String, Object> connection = new HashMap<>();
            configs.forEach((key, value) -> {
                if (KafkaConnection.isConnectionProperty(key)) {
                    connection.put(key, value);
                }
            });
            globalThread = new GlobalThreadDeadLetters(connection, "global-thread-dead-letters");
        }
    }

    @Override
    public DeserializationExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                                ConsumerRecord<byte[], byte[]> record,
                                                                Exception exception) {
        if (SchemaRegistry.unavailable(exception).isPresent()) {
            return DeserializationExceptionHandler.Response.fail();
        }
        ProducerRecord<byte[], byte[]> deadLetter = deadLetters.record("deserialize", inputs.inputOf(record.topic()),
                record.topic(), record.partition(), record.offset(), record.key(), record.value(), record.headers(), exception);
        if (isGlobalThread(context)) {
            return sentFromGlobalThread(deadLetter)
                    ? DeserializationExceptionHandler.Response.resume() : DeserializationExceptionHandler.Response.fail();
        }
        return DeserializationExceptionHandler.Response.resume(List.of(deadLetter));
    }

    /** An error of the record's data: it cannot be decoded, its event time is not one, its schema refuses it. */
    static boolean isDataError(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof SerializationException || e instanceof EventTime.InvalidEventTimeException
                    || e instanceof AvroRuntimeException) {
                return true;
            }
        }
        return false;
    }

    @Override
    public ProcessingExceptionHandler.Response handleError(ErrorHandlerContext context, Record<?, ?> record,
                                                           Exception exception) {
        if (SchemaRegistry.unavailable(exception).isPresent()) {
            return ProcessingExceptionHandler.Response.fail();
        }
        if (!isDataError(exception)) {
            LOG.error("Processing {} at {}-{}@{} failed, not on its data: a bug, so the service stops rather than "
                    + "dead-letter every record: {}", context.processorNodeId(), context.topic(), context.partition(),
                    context.offset(), exception.toString(), exception);
            return ProcessingExceptionHandler.Response.fail();
        }
        ProducerRecord<byte[], byte[]> deadLetter = deadLetters.record("process:" + context.processorNodeId(),
                inputs.inputOf(context.topic()), context.topic(), context.partition(), context.offset(), context.sourceRawKey(),
                context.sourceRawValue(), context.headers(), exception);
        if (isGlobalThread(context)) {
            return sentFromGlobalThread(deadLetter)
                    ? ProcessingExceptionHandler.Response.resume() : ProcessingExceptionHandler.Response.fail();
        }
        return ProcessingExceptionHandler.Response.resume(List.of(deadLetter));
    }

    /** The broker refused an output record for itself: the input it came from becomes a dead letter. */
    @Override
    public ProductionExceptionHandler.Response handleError(ErrorHandlerContext context,
                                                           ProducerRecord<byte[], byte[]> record, Exception exception) {
        if (record.topic().endsWith(Topics.DEAD_LETTER_SUFFIX)) {
            LOG.error("Kafka did not take a dead letter for {}: {}; the service stops rather than lose the record",
                    record.topic(), exception.toString());
            return ProductionExceptionHandler.Response.fail();
        }
        if (!DeadLetters.refusedByTheBrokerForItself(exception)) {
            return ProductionExceptionHandler.Response.fail();
        }
        String sourceTopic = context.topic() == null ? record.topic() : context.topic();
        return ProductionExceptionHandler.Response.resume(List.of(deadLetters.record("produce:" + record.topic(),
                inputs.inputOf(sourceTopic), sourceTopic, context.partition(), context.offset(), context.sourceRawKey(),
                context.sourceRawValue(), context.headers(), exception)));
    }

    private static boolean isGlobalThread(ErrorHandlerContext context) {
        return context.taskId() != null && context.taskId().subtopology() == GLOBAL_TASK;
    }

    /** Sends a dead letter of the global thread and waits for Kafka's ack; false when Kafka did not take it. */
    private boolean sentFromGlobalThread(ProducerRecord<byte[], byte[]> deadLetter) {
        return globalThread.send(deadLetter);
    }
}
