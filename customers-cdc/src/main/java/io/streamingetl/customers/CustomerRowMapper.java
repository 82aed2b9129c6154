package io.streamingetl.customers;

import io.streamingetl.avro.Customer;
import org.apache.kafka.connect.data.Struct;
import org.apache.kafka.connect.errors.DataException;

/** A captured {@code customers} row (Debezium's unwrapped Struct) as the contract's {@code Customer}. */
public final class CustomerRowMapper {
    private CustomerRowMapper() {
    }

    /** @throws DataException when a column is missing or not of the contract's type */
    public static Customer toCustomer(Struct row) {
        Object id = row.get("id");
        if (!(id instanceof String idText)) {
            throw new DataException("customers.id must be text, was " + describe(id));
        }
        Object name = row.schema().field("name") == null ? null : row.get("name");
        if (name != null && !(name instanceof String)) {
            throw new DataException("customers.name must be text, was " + describe(name));
        }
        Object age = row.schema().field("age") == null ? null : row.get("age");
        if (age != null && !(age instanceof Integer)) {
            throw new DataException("customers.age must be an int, was " + describe(age));
        }
        return new Customer(idText, (String) name, (Integer) age);
    }

    /** The customer id of a change's key (the table's primary key). */
    public static String idOf(Object key) {
        if (key instanceof Struct struct && struct.schema().field("id") != null && struct.get("id") instanceof String id) {
            return id;
        }
        throw new DataException("the change's key has no text id: " + describe(key));
    }

    private static String describe(Object value) {
        return value == null ? "missing" : value.getClass().getSimpleName() + " " + value;
    }
}
