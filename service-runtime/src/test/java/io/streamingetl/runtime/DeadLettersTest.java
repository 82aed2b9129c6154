package io.streamingetl.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamingetl.contract.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
    private final DeadLetters deadLetters = new DeadLetters(new SimpleMeterRegistry());

    @Test
    void aRecordTooLargeForKafkaBecomesADeadLetterThatFitsSayingHowLargeItWas() {
        byte[] key = "9".getBytes(StandardCharsets.UTF_8);
        byte[] value = new byte[2 * 1024 * 1024];

        ProducerRecord<byte[], byte[]> deadLetter = deadLetters.record("size", "customers.public.customers", "{}", "{lsn=7}",
                key, value, new RecordHeaders(), new IllegalArgumentException("too large"));

        assertThat(deadLetter.key()).isEqualTo(key);
        assertThat(deadLetter.value()).hasSize(DeadLetters.MAX_PAYLOAD_BYTES - 1);
        assertThat(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.PAYLOAD_BYTES)).isEqualTo("2097153");
        assertThat(DeadLetterHeaders.header(deadLetter.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("{lsn=7}");
    }

    @Test
    void aRecordThatFitsIsKeptWholeAndSaysNothingOfItsSize() {
        byte[] value = "the order".getBytes(StandardCharsets.UTF_8);

        ProducerRecord<byte[], byte[]> deadLetter = deadLetters.record("deserialize", "orders", 0, 3, null, value,
                new RecordHeaders(), new IllegalArgumentException("bad"));

        assertThat(deadLetter.value()).isEqualTo(value);
        assertThat(deadLetter.headers().lastHeader(DeadLetterHeaders.PAYLOAD_BYTES)).isNull();
    }

    @Test
    void aDeadLetterOfADeadLetterKeepsOnlyTheNewReason() {
        ProducerRecord<byte[], byte[]> first = deadLetters.record("index", "shipped_orders", 0, 3, null, new byte[1],
                new RecordHeaders(), new IllegalArgumentException("first"));
        ProducerRecord<byte[], byte[]> second = deadLetters.record("index", "shipped_orders", 1, 9, null, new byte[1],
                first.headers(), new IllegalArgumentException("second"));

        assertThat(second.headers().headers(DeadLetterHeaders.ERROR_MESSAGE)).hasSize(1);
        assertThat(DeadLetterHeaders.header(second.headers(), DeadLetterHeaders.ERROR_MESSAGE)).isEqualTo("second");
        assertThat(DeadLetterHeaders.header(second.headers(), DeadLetterHeaders.SOURCE_OFFSET)).isEqualTo("9");
    }
}
