package io.streamingetl.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingetl.avro.Customer;
import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.Order;
import io.streamingetl.avro.Shipment;
import io.streamingetl.avro.ShippedOrder;
import java.util.List;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A schema change ships as a new {@code schema-history/<Record>/vN.avsc}, equal to the changed
 * {@code src/main/avro} file, and must be able to read what every earlier version wrote.
 */
class SchemaHistoryTest {

    static Stream<Schema> currentSchemas() {
        return Stream.of(Customer.getClassSchema(), Order.getClassSchema(), Shipment.getClassSchema(),
                EnrichedOrder.getClassSchema(), ShippedOrder.getClassSchema());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentSchemas")
    void theGeneratedSchemaIsTheNewestShippedVersion(Schema current) {
        List<Schema> history = SchemaHistory.of(current.getName());
        assertThat(history.get(history.size() - 1))
                .as("src/main/avro/%s.avsc changed: copy it to schema-history/%s/v%d.avsc",
                        current.getName(), current.getName(), history.size() + 1)
                .isEqualTo(withoutJavaStringHints(current));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("currentSchemas")
    void everyVersionReadsWhatThePreviousOneWrote(Schema current) {
        List<Schema> history = SchemaHistory.of(current.getName());
        for (int v = 1; v < history.size(); v++) {
            assertThat(backwardCompatible(history.get(v), history.get(v - 1)))
                    .as("%s v%d must read what v%d wrote", current.getName(), v + 1, v)
                    .isTrue();
        }
    }

    @Test
    void theCheckCatchesAnIncompatibleChange() {
        Schema incompatible = new Schema.Parser().parse("""
                {"type": "record", "name": "Customer", "namespace": "io.streamingetl.avro", "fields": [
                  {"name": "id", "type": "string"},
                  {"name": "name", "type": ["null", "string"], "default": null},
                  {"name": "age", "type": ["null", "int"], "default": null},
                  {"name": "email", "type": "string"}
                ]}""");
        assertThat(backwardCompatible(incompatible, Customer.getClassSchema())).isFalse();
    }

    @Test
    void theCheckAcceptsANewFieldWithADefault() {
        Schema compatible = new Schema.Parser().parse("""
                {"type": "record", "name": "Customer", "namespace": "io.streamingetl.avro", "fields": [
                  {"name": "id", "type": "string"},
                  {"name": "name", "type": ["null", "string"], "default": null},
                  {"name": "age", "type": ["null", "int"], "default": null},
                  {"name": "email", "type": ["null", "string"], "default": null}
                ]}""");
        assertThat(backwardCompatible(compatible, Customer.getClassSchema())).isTrue();
    }

    /** The generated class's schema carries avro.java.string hints of the code generator; the .avsc files do not. */
    private static Schema withoutJavaStringHints(Schema generated) {
        String json = generated.toString().replace("{\"type\":\"string\",\"avro.java.string\":\"String\"}", "\"string\"");
        return new Schema.Parser().parse(json);
    }

    private static boolean backwardCompatible(Schema reader, Schema writer) {
        return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
                == SchemaCompatibilityType.COMPATIBLE;
    }
}
