package io.streamingetl.enrichment;

import io.streamingetl.avro.Customer;
import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.Order;
import io.streamingetl.contract.Positioned;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/** The left join of an order to the {@link CustomerTable} as it is when the order is processed. */
final class CustomerLookup implements FixedKeyProcessor<String, Order, EnrichedOrder> {
    private FixedKeyProcessorContext<String, EnrichedOrder> context;
    private ReadOnlyKeyValueStore<String, Positioned<Customer>> customers;

    @Override
    public void init(FixedKeyProcessorContext<String, EnrichedOrder> context) {
        this.context = context;
        this.customers = context.getStateStore(CustomerTable.STORE);
    }

    @Override
    public void process(FixedKeyRecord<String, Order> record) {
        Order order = record.value();
        context.forward(record.withValue(OrderEnrichment.enrich(order, CustomerTable.lookup(customers, order.getCustomerId()))));
    }
}
