package io.streamingetl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamingetl.contract.ChangeHeaders;
import io.streamingetl.runtime.DeadLetters;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class NewerOnTopicTest {
    private static final String TOPIC = "my-replica-set.logistics.orders";

    /** A record of the topic at {@code partition}@{@code offset}, at {@code version} (0: none). */
    private static ConsumerRecord<byte[], byte[]> record(String key, int partition, long offset, long version) {
        RecordHeaders headers = new RecordHeaders();
        if (version > 0) {
            ChangeHeaders.setVersion(headers, version);
        }
        return new ConsumerRecord<>(TOPIC, partition, offset, 0L, TimestampType.CREATE_TIME, -1, -1,
                key.getBytes(StandardCharsets.UTF_8), new byte[] {1}, headers, Optional.empty());
    }

    /** The dead letter of {@code record} as a service writes one. */
    private static ConsumerRecord<byte[], byte[]> deadLetterOf(ConsumerRecord<byte[], byte[]> record) {
        ProducerRecord<byte[], byte[]> deadLetter = new DeadLetters(new SimpleMeterRegistry()).record("process:enrich", record,
                new IllegalStateException("failed"));
        return new ConsumerRecord<>(deadLetter.topic(), 0, 0, 0L, TimestampType.LOG_APPEND_TIME, -1, -1,
                deadLetter.key(), deadLetter.value(), deadLetter.headers(), Optional.empty());
    }

    private static NewerOnTopic topicHolding(ConsumerRecord<byte[], byte[]> deadLetter, List<ConsumerRecord<byte[], byte[]>> records) {
        NewerOnTopic topic = new NewerOnTopic(TOPIC);
        topic.askAbout(deadLetter);
        records.forEach(topic::observe);
        return topic;
    }

    @Test
    void aDeadLetterWhoseKeyHasAHigherVersionOnTheTopicIsSuperseded() {
        ConsumerRecord<byte[], byte[]> old = record("17", 0, 3, 100);
        ConsumerRecord<byte[], byte[]> deadLetter = deadLetterOf(old);

        assertThat(topicHolding(deadLetter, List.of(old, record("17", 0, 9, 200))).newerThan(deadLetter))
                .contains(TOPIC + " holds a newer record of 17 (version 200 at 0@9, this one's 100)");
    }

    @Test
    void aDeadLetterThatIsItsKeysNewestRecordIsNotSuperseded() {
        ConsumerRecord<byte[], byte[]> latest = record("17", 0, 9, 200);
        ConsumerRecord<byte[], byte[]> deadLetter = deadLetterOf(latest);

        assertThat(topicHolding(deadLetter, List.of(record("17", 0, 3, 100), latest, record("22", 0, 10, 300)))
                .newerThan(deadLetter)).isEmpty();
    }

    @Test
    void theSameRecordWrittenAgainAtALaterOffsetDoesNotSupersedeIt() {
        ConsumerRecord<byte[], byte[]> record = record("17", 0, 3, 100);
        ConsumerRecord<byte[], byte[]> deadLetter = deadLetterOf(record);

        assertThat(topicHolding(deadLetter, List.of(record, record("17", 0, 12, 100))).newerThan(deadLetter)).isEmpty();
    }

    @Test
    void withoutVersionsALaterOffsetOfTheKeyInItsPartitionSupersedesIt() {
        ConsumerRecord<byte[], byte[]> old = record("17", 1, 3, 0);
        ConsumerRecord<byte[], byte[]> deadLetter = deadLetterOf(old);

        assertThat(topicHolding(deadLetter, List.of(old, record("17", 1, 4, 0))).newerThan(deadLetter))
                .contains(TOPIC + " holds a newer record of 17 (at 1@4, this one was read at 1@3)");
    }

    @Test
    void withoutVersionsAKeyInAnotherPartitionTellsNothing() {
        ConsumerRecord<byte[], byte[]> old = record("17", 1, 3, 0);
        ConsumerRecord<byte[], byte[]> deadLetter = deadLetterOf(old);

        assertThat(topicHolding(deadLetter, List.of(old, record("17", 2, 40, 0))).newerThan(deadLetter)).isEmpty();
    }
}
