package io.streamingetl.enrichment;

import io.streamingetl.avro.Customer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The table of customers by id, kept by Kafka Streams' global thread from the customers topic: the latest
 * record of an id wins and a tombstone removes it (ksqlDB's {@code latest_by_offset}). Every record goes
 * through here, at bootstrap too, so one that cannot be decoded becomes a dead letter instead of bytes in
 * the table.
 */
final class CustomerTable implements Processor<String, Customer, Void, Void> {
    static final String STORE = "customer-table";

    private KeyValueStore<String, Customer> customers;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        customers = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, Customer> record) {
        if (record.key() == null) {
            return;
        }
        if (record.value() == null) {
            customers.delete(record.key());
        } else {
            customers.put(record.key(), record.value());
        }
    }
}
