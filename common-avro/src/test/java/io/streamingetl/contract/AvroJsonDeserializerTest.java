package io.streamingetl.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingetl.avro.Order;
import java.nio.charset.StandardCharsets;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.junit.jupiter.api.Test;

class AvroJsonDeserializerTest {
    private final AvroJsonDeserializer json = new AvroJsonDeserializer();

    @Test
    void aValueOfTodaysSchemaIsItsJson() {
        byte[] value = AvroSerde.of(Order.class).serialize("orders", new Order("13", "2", null, null, "2020-04-03T11:20:00"));

        assertThat(json.deserialize("orders", value)).isEqualTo(
                "{\"order_id\": \"13\", \"customer_id\": \"2\", \"price\": null, \"currency\": null, \"ts\": \"2020-04-03T11:20:00\"}");
    }

    @Test
    void aValueWrittenWithAnOlderSchemaIsDecodedWithThatVersion() throws Exception {
        Schema v1 = SchemaHistory.of("Order").get(0);
        GenericRecord order = new GenericData.Record(v1);
        order.put("order_id", "13");
        order.put("customer_id", "2");
        order.put("price", 50.5);
        order.put("currency", "usd");
        order.put("ts", "2020-04-03T11:20:00");
        byte[] value = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), v1).encode(order).array();

        assertThat(AvroJsonDeserializer.writerOf(value)).isEqualTo(v1);
        assertThat(json.deserialize("orders", value)).isEqualTo(
                "{\"order_id\": \"13\", \"customer_id\": \"2\", \"price\": 50.5, \"currency\": \"usd\", \"ts\": \"2020-04-03T11:20:00\"}");
    }

    @Test
    void bytesThatAreNoPipelineValueAreAJsonStringOfTheirTextOrBase64() {
        assertThat(json.deserialize("orders", "not avro".getBytes(StandardCharsets.UTF_8))).isEqualTo("\"not avro\"");
        assertThat(json.deserialize("orders", new byte[] {(byte) 0xff, (byte) 0xfe})).isEqualTo("\"base64://4=\"");
        assertThat(json.deserialize("orders", null)).isNull();
    }

    @Test
    void aValueInConfluentWireFormatIsDecodedWithTheRegistrysSchema() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry("test");
        byte[] value = AvroSerde.of(Order.class, registry, "orders-value")
                .serialize("orders", new Order("13", "2", 50.5, "usd", "2020-04-03T11:20:00"));

        assertThat(new AvroJsonDeserializer(registry).deserialize("orders", value)).isEqualTo(
                "{\"order_id\": \"13\", \"customer_id\": \"2\", \"price\": 50.5, \"currency\": \"usd\", \"ts\": \"2020-04-03T11:20:00\"}");
    }
}
