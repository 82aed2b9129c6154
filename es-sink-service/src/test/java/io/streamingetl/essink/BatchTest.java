package io.streamingetl.essink;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Optional;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class BatchTest {
    private static ConsumerRecord<byte[], byte[]> record(int valueBytes) {
        return new ConsumerRecord<>("shipped_orders", 0, 0, 0L, TimestampType.CREATE_TIME, 2, valueBytes, new byte[2],
                new byte[valueBytes], new RecordHeaders(), Optional.empty());
    }

    @Test
    void itIsDueWhenItHoldsEnoughRecordsOrBytesOrIsOldEnough() {
        Batch byCount = new Batch(2, 1_000_000, Duration.ofSeconds(1));
        byCount.add(record(10), 0);
        assertThat(byCount.due(1)).isFalse();
        byCount.add(record(10), 1);
        assertThat(byCount.due(1)).isTrue();

        Batch byBytes = new Batch(100, 20, Duration.ofSeconds(1));
        byBytes.add(record(30), 0);
        assertThat(byBytes.due(0)).isTrue();

        Batch byTime = new Batch(100, 1_000_000, Duration.ofMillis(100));
        byTime.add(record(10), 1000);
        assertThat(byTime.due(1099)).isFalse();
        assertThat(byTime.due(1100)).isTrue();
    }

    @Test
    void aPollWaitsUntilTheBatchIsDueOrTheIdleWaitWhenItIsEmpty() {
        Batch batch = new Batch(100, 1_000_000, Duration.ofMillis(100));
        assertThat(batch.millisUntilDue(0, 500)).isEqualTo(500);
        batch.add(record(10), 1000);
        assertThat(batch.millisUntilDue(1040, 500)).isEqualTo(60);
        assertThat(batch.cut()).hasSize(1);
        assertThat(batch.isEmpty()).isTrue();
    }
}
