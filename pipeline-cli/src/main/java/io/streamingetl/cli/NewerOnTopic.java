package io.streamingetl.cli;

import io.streamingetl.contract.ChangeHeaders;
import io.streamingetl.contract.DeadLetterHeaders;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;

/**
 * What a compacted pipeline topic holds of the keys of some dead letters: a dead letter whose topic has a newer record
 * of its key is not replayed. Sent back, it would become the key's latest record, the one compaction keeps: every
 * later rebuild (the customer table, a reset, a reindex from {@code shipped_orders}) would read the older record
 * alone. Newer means a higher version ({@link ChangeHeaders#CHANGE_VERSION}) where both have one, else a later offset
 * in the same partition.
 */
final class NewerOnTopic {
    /** The newest record seen of one key: its highest version, and its last offset in each partition. */
    private static final class Newest {
        long version;
        long versionOffset = -1;
        int versionPartition;
        final Map<Integer, Long> lastOffset = new HashMap<>();
    }

    private final String topic;
    private final Map<ByteBuffer, Newest> byKey = new HashMap<>();

    NewerOnTopic(String topic) {
        this.topic = topic;
    }

    /** A dead letter to ask about: its key is looked for when the topic is read. */
    void askAbout(ConsumerRecord<byte[], byte[]> deadLetter) {
        if (deadLetter.key() != null) {
            byKey.putIfAbsent(ByteBuffer.wrap(deadLetter.key()), new Newest());
        }
    }

    /** How many keys it looks for. */
    int keys() {
        return byKey.size();
    }

    /** Reads {@code topic} from its beginning to its end as it is now, with a consumer of no group. */
    void readAll(KafkaConsumer<byte[], byte[]> consumer) {
        List<TopicPartition> partitions = Kafka.assignAll(consumer, topic);
        consumer.seekToBeginning(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        while (!Kafka.atEnd(consumer, ends)) {
            consumer.poll(Duration.ofMillis(200)).forEach(this::observe);
        }
    }

    /** One record of the topic. */
    void observe(ConsumerRecord<byte[], byte[]> record) {
        Newest newest = record.key() == null ? null : byKey.get(ByteBuffer.wrap(record.key()));
        if (newest == null) {
            return;
        }
        long version = ChangeHeaders.version(record.headers());
        if (version > newest.version) {
            newest.version = version;
            newest.versionPartition = record.partition();
            newest.versionOffset = record.offset();
        }
        newest.lastOffset.merge(record.partition(), record.offset(), Math::max);
    }

    /** Why {@code deadLetter} is superseded on its topic, if it is. */
    Optional<String> newerThan(ConsumerRecord<byte[], byte[]> deadLetter) {
        Newest newest = deadLetter.key() == null ? null : byKey.get(ByteBuffer.wrap(deadLetter.key()));
        if (newest == null) {
            return Optional.empty();
        }
        String key = new String(deadLetter.key(), StandardCharsets.UTF_8);
        long version = ChangeHeaders.version(deadLetter.headers());
        if (version > 0 && newest.version > 0) {
            return newest.version > version ? Optional.of(topic + " holds a newer record of " + key + " (version "
                    + newest.version + " at " + newest.versionPartition + "@" + newest.versionOffset + ", this one's " + version
                    + ")") : Optional.empty();
        }
        Long partition = parse(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.SOURCE_PARTITION));
        Long offset = parse(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.SOURCE_OFFSET));
        Long last = partition == null ? null : newest.lastOffset.get(partition.intValue());
        return last != null && offset != null && last > offset ? Optional.of(topic + " holds a newer record of " + key
                + " (at " + partition + "@" + last + ", this one was read at " + partition + "@" + offset + ")") : Optional.empty();
    }

    private static Long parse(String number) {
        try {
            return number == null ? null : Long.valueOf(number);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
