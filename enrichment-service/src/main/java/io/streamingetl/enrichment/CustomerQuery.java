package io.streamingetl.enrichment;

import io.streamingetl.avro.Customer;
import io.streamingetl.runtime.OpsServer.Answer;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The pull query on the customer table ({@code GET /customers/{id}}): the customer as this instance knows it
 * now, as ksqlDB's {@code SELECT * FROM customers_by_key WHERE id = ...}. The table is a global store, so any
 * instance answers for every customer.
 */
final class CustomerQuery {
    static final String PATH = "/customers/";

    private final Supplier<KafkaStreams> streams;

    CustomerQuery(Supplier<KafkaStreams> streams) {
        this.streams = streams;
    }

    Answer answer(String id) {
        if (id.isEmpty() || id.contains("/")) {
            return Answer.json(400, "{\"error\": \"ask for one customer: GET " + PATH + "<id>\"}");
        }
        ReadOnlyKeyValueStore<String, Customer> table;
        try {
            table = streams.get().store(StoreQueryParameters.fromNameAndType(CustomerTable.STORE,
                    QueryableStoreTypes.keyValueStore()));
        } catch (InvalidStateStoreException e) {
            return Answer.json(503, "{\"error\": \"the customer table is not queryable yet (streams "
                    + streams.get().state() + ")\"}");
        }
        Customer customer = table.get(id);
        return customer == null
                ? Answer.json(404, "{\"error\": \"no customer with id " + id.replace("\"", "") + "\"}")
                : Answer.json(200, customer.toString());
    }
}
