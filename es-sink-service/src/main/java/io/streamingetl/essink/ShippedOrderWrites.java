package io.streamingetl.essink;

import io.streamingetl.runtime.DeadLetterWriter;
import io.streamingetl.avro.ShippedOrder;
import io.streamingetl.contract.ChangeHeaders;
import io.streamingetl.contract.SchemaRegistry;
import io.streamingetl.contract.ShippedOrderDocument;
import io.streamingetl.contract.Topic;
import io.streamingetl.search.BulkWriter.Write;
import io.streamingetl.search.NewestWrites;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A batch of {@code shipped_orders} records as the document writes they stand for: each order's document (or,
 * for a tombstone, its delete) at the record's version ({@link ChangeHeaders#CHANGE_VERSION}); within a batch the
 * highest version of an order wins, of equal ones the later record ({@link NewestWrites}). A record that cannot be decoded is a dead letter at once; while the schema
 * registry cannot be asked, the decoding waits for it.
 */
final class ShippedOrderWrites {
    private final Topic<String, ShippedOrder> topic;
    private final DeadLetterWriter deadLetters;

    ShippedOrderWrites(Topic<String, ShippedOrder> topic, DeadLetterWriter deadLetters) {
        this.topic = topic;
        this.deadLetters = deadLetters;
    }

    /** The writes; null when {@code waiter} gave up waiting for the registry (partitions revoked, the sink stopping). */
    List<Write<ConsumerRecord<byte[], byte[]>>> of(List<ConsumerRecord<byte[], byte[]>> batch, Waiter waiter) {
        NewestWrites<ConsumerRecord<byte[], byte[]>> newest = new NewestWrites<>();
        int registryFailures = 0;
        for (int i = 0; i < batch.size(); i++) {
            ConsumerRecord<byte[], byte[]> record = batch.get(i);
            try {
                ShippedOrderDocument.Change change = ShippedOrderDocument.Change.of(topic, record);
                newest.add(new Write<>(record, change.id(), change.version(), change.document()));
            } catch (SchemaRegistry.UnavailableException e) {
                if (!waiter.waitBeforeRetry("waiting for the schema registry: " + e.getMessage(), registryFailures++)) {
                    return null;
                }
                i--;
            } catch (RuntimeException e) {
                deadLetters.send("deserialize", record, e);
            }
        }
        deadLetters.awaitAll();
        return newest.cut();
    }
}
