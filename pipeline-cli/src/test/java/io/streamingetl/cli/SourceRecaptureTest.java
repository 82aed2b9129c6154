package io.streamingetl.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingetl.contract.DeadLetterHeaders;
import io.streamingetl.runtime.Settings;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** Capture-stage dead letters as the condition of the snapshot that reads their rows or documents again. */
class SourceRecaptureTest {
    private final CliSettings settings = CliSettings.from(new Settings(Map.of()));

    private static ConsumerRecord<byte[], byte[]> deadLetter(String key, String sourcePartition) {
        ConsumerRecord<byte[], byte[]> record = new ConsumerRecord<>("t.dlq", 0, 7, key.getBytes(StandardCharsets.UTF_8), new byte[0]);
        record.headers().add(DeadLetterHeaders.SOURCE_PARTITION, sourcePartition.getBytes(StandardCharsets.UTF_8));
        return record;
    }

    @Test
    void aDeadLetterOfACaptureServiceHasDebeziumsSourcePartitionAnotherServicesAKafkaPartition() {
        assertThat(SourceRecapture.isCaptureStage(deadLetter("{\"id\":\"5\"}", "{server=customers}"))).isTrue();
        assertThat(SourceRecapture.isCaptureStage(deadLetter("22", "2"))).isFalse();
    }

    @Test
    void customersAreReadAgainByTheirIdsInSql() {
        SourceRecapture recapture = new SourceRecapture(settings, "customers.public.customers");
        recapture.add(deadLetter("{\"id\":\"5\"}", "{server=customers}"));
        recapture.add(deadLetter("{\"id\":\"o'neil\"}", "{server=customers}"));
        recapture.add(deadLetter("{\"id\":\"5\"}", "{server=customers}"));

        assertThat(recapture.condition()).isEqualTo("id IN ('5', 'o''neil')");
        assertThat(recapture.rows()).isEqualTo(2);
    }

    @Test
    void documentsAreReadAgainByTheirIdsAsDebeziumKeepsThemInAMongoQuery() {
        SourceRecapture recapture = new SourceRecapture(settings, "my-replica-set.logistics.orders");
        recapture.add(deadLetter("{\"id\":\"{\\\"$oid\\\": \\\"656f0c2b9e1d4a3b2c1d0e0f\\\"}\"}", "{server_id=my-replica-set}"));
        recapture.add(deadLetter("{\"id\":\"\\\"order-9\\\"\"}", "{server_id=my-replica-set}"));
        recapture.add(deadLetter("{\"id\":\"6b1271809420121b404cd976\"}", "{server_id=my-replica-set}"));

        assertThat(recapture.condition()).isEqualTo("{\"_id\": {\"$in\": [{\"$oid\": \"656f0c2b9e1d4a3b2c1d0e0f\"}, \"order-9\", "
                + "{\"$oid\": \"6b1271809420121b404cd976\"}, \"6b1271809420121b404cd976\"]}}");
    }
}
