package io.streamingetl.enrichment;

import io.streamingetl.avro.Customer;
import io.streamingetl.contract.Positioned;
import io.streamingetl.runtime.OpsServer.Answer;
import io.streamingetl.runtime.OpsServer.Request;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * The pull query on the customer table ({@code GET /customers/{id}}): the customer as this instance knows it
 * now, as ksqlDB's {@code SELECT * FROM customers_by_key WHERE id = ...}. The table is a global store, so any
 * instance answers for every customer. Customers are personal data: it is an operator route (OPS_TOKEN); whether an
 * id is known is open ({@link #known}).
 */
final class CustomerQuery {
    static final String PATH = "/customers/";
    static final String KNOWN_PATH = "/customers-known/";

    private final Supplier<KafkaStreams> streams;

    CustomerQuery(Supplier<KafkaStreams> streams) {
        this.streams = streams;
    }

    Answer answer(Request request) {
        String id = request.rest();
        if (id.isEmpty() || id.contains("/")) {
            return Answer.error(400, "ask for one customer: GET " + PATH + "<id>");
        }
        ReadOnlyKeyValueStore<String, Positioned<Customer>> table;
        try {
            table = table();
        } catch (InvalidStateStoreException e) {
            return Answer.error(503, "the customer table is not queryable yet (streams " + streams.get().state() + ")");
        }
        Customer customer = CustomerTable.lookup(table, id);
        if (customer == null) {
            return Answer.error(404, "no customer with id " + id);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        customer.getSchema().getFields().forEach(f -> fields.put(f.name(),
                customer.get(f.pos()) instanceof CharSequence text ? text.toString() : customer.get(f.pos())));
        return Answer.json(200, fields);
    }

    /**
     * {@code GET /customers-known/<id>}, open: whether the table holds the id, and nothing of the customer, so a loader
     * without the operator's token (docker compose's, where control is off by default) can wait for its customers.
     */
    Answer known(Request request) {
        String id = request.rest();
        if (id.isEmpty() || id.contains("/")) {
            return Answer.error(400, "ask for one customer: GET " + KNOWN_PATH + "<id>");
        }
        try {
            boolean known = CustomerTable.lookup(table(), id) != null;
            return Answer.json(known ? 200 : 404, Map.of("known", known));
        } catch (InvalidStateStoreException e) {
            return Answer.error(503, "the customer table is not queryable yet (streams " + streams.get().state() + ")");
        }
    }

    private ReadOnlyKeyValueStore<String, Positioned<Customer>> table() {
        return streams.get().store(StoreQueryParameters.fromNameAndType(CustomerTable.STORE, QueryableStoreTypes.keyValueStore()));
    }
}
