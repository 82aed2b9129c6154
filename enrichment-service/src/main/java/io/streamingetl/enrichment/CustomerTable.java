package io.streamingetl.enrichment;

import io.streamingetl.avro.Customer;
import io.streamingetl.contract.ChangeHeaders;
import io.streamingetl.contract.Positioned;
import io.streamingetl.runtime.SafeText;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The table of customers by id, kept by Kafka Streams' global thread from the customers topic: the latest change of
 * an id wins and a tombstone removes it (ksqlDB's {@code latest_by_offset}), except that a record whose Postgres LSN
 * ({@link ChangeHeaders#CHANGE_VERSION}) is below the one the table holds for the id is ignored: an old record
 * replayed onto the topic must not bring back what a newer change replaced. A deleted customer stays as its delete's
 * position with no value, so an older record cannot bring it back either. Every record goes through here, at
 * bootstrap too, so one that cannot be decoded becomes a dead letter instead of bytes in the table.
 */
final class CustomerTable implements Processor<String, Customer, Void, Void> {
    static final String STORE = "customer-table";
    private static final Logger LOG = LoggerFactory.getLogger(CustomerTable.class);

    private KeyValueStore<String, Positioned<Customer>> customers;

    @Override
    public void init(ProcessorContext<Void, Void> context) {
        customers = context.getStateStore(STORE);
    }

    @Override
    public void process(Record<String, Customer> record) {
        if (record.key() == null) {
            return;
        }
        Positioned<Customer> change = new Positioned<>(ChangeHeaders.version(record.headers()), record.value());
        Positioned<Customer> held = customers.get(record.key());
        if (change.olderThan(held)) {
            LOG.warn("Customer {}: a change at LSN {} ignored, the table holds LSN {} (an old record replayed?)",
                    SafeText.of(record.key()), change.position(), held.position());
            return;
        }
        customers.put(record.key(), change);
    }

    /** The customer of {@code id} as the table holds it; null when unknown or deleted. */
    static Customer lookup(ReadOnlyKeyValueStore<String, Positioned<Customer>> customers, String id) {
        Positioned<Customer> held = customers.get(id);
        return held == null ? null : held.value();
    }
}
