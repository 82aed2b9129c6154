package io.streamingetl.customers;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingetl.avro.Customer;
import io.streamingetl.contract.Topics;
import java.util.Map;
import org.apache.kafka.connect.data.Schema;
import org.apache.kafka.connect.data.SchemaBuilder;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.source.SourceRecord;
import org.junit.jupiter.api.Test;

class CustomerChangeRouterTest {
    private static final Schema KEY = SchemaBuilder.struct().field("id", Schema.STRING_SCHEMA).build();
    private static final Schema ROW = SchemaBuilder.struct().field("id", Schema.STRING_SCHEMA)
            .field("name", Schema.OPTIONAL_STRING_SCHEMA).field("age", Schema.OPTIONAL_INT32_SCHEMA).build();
    private final CustomerChangeRouter router = new CustomerChangeRouter(Topics.CUSTOMERS, "customers.public.customers");

    private static SourceRecord change(String topic, String id) {
        return new SourceRecord(Map.of(), Map.of(), topic, KEY, new Struct(KEY).put("id", id), ROW,
                new Struct(ROW).put("id", id).put("name", "sue").put("age", 25));
    }

    @Test
    void aChangeOfTheCapturedTableIsACustomer() {
        var records = router.route(change("customers.public.customers", "7"));
        assertThat(records).hasSize(1);
        assertThat(Topics.CUSTOMERS.deserializeValue(records.get(0).value())).isEqualTo(new Customer("7", "sue", 25));
    }

    @Test
    void aChangeOfAnotherTableDebeziumReadsSuchAsItsSignalTableIsNoCustomer() {
        assertThat(router.route(change("customers.public.debezium_signal", "1"))).isEmpty();
    }

    @Test
    void itsWarmUpChangeIsACustomerOfTheCapturedTable() {
        var records = router.route(router.warmUpChanges(1001).get(0));

        assertThat(records).singleElement().satisfies(r -> assertThat(Topics.CUSTOMERS.deserializeValue(r.value()))
                .isEqualTo(new Customer("warm-up-1", "warm", 30)));
    }
}
