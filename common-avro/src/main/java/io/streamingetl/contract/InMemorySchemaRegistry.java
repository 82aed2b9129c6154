package io.streamingetl.contract;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;
import org.apache.kafka.common.errors.SerializationException;

/**
 * A schema registry in this JVM's memory, what {@code SCHEMA_REGISTRY_URL=mock://<scope>} gives, as Confluent's
 * serdes do: for {@code TopologyTestDriver} tests, which have no registry. Ids start at 1; one registry per scope.
 */
public final class InMemorySchemaRegistry implements SchemaRegistry {
    private static final Map<String, InMemorySchemaRegistry> SCOPES = new ConcurrentHashMap<>();

    private final String scope;
    private final List<Schema> byId = new ArrayList<>();
    private volatile boolean reachable = true;

    public InMemorySchemaRegistry(String scope) {
        this.scope = scope;
    }

    /** The registry of {@code scope}, shared by every serde of this JVM that names it. */
    public static InMemorySchemaRegistry scope(String scope) {
        return SCOPES.computeIfAbsent(scope, InMemorySchemaRegistry::new);
    }

    /** Makes it answer as a registry that cannot be reached, or again as one that can. */
    public void reachable(boolean reachable) {
        this.reachable = reachable;
    }

    @Override
    public synchronized int register(String subject, Schema schema) {
        ask();
        int existing = byId.indexOf(schema);
        if (existing >= 0) {
            return existing + 1;
        }
        byId.add(schema);
        return byId.size();
    }

    @Override
    public synchronized OptionalInt find(String subject, Schema schema) {
        ask();
        int existing = byId.indexOf(schema);
        return existing < 0 ? OptionalInt.empty() : OptionalInt.of(existing + 1);
    }

    @Override
    public synchronized Schema schema(int id) {
        ask();
        if (id < 1 || id > byId.size()) {
            throw new SerializationException("Schema id " + id + " is unknown to the schema registry at " + location());
        }
        return byId.get(id - 1);
    }

    private void ask() {
        if (!reachable) {
            throw new UnavailableException("Cannot reach the schema registry at " + location(), null);
        }
    }

    @Override
    public String location() {
        return "mock://" + scope;
    }
}
