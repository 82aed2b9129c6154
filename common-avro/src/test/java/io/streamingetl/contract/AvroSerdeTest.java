package io.streamingetl.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.streamingetl.avro.Customer;
import io.streamingetl.avro.EnrichedOrder;
import io.streamingetl.avro.Order;
import io.streamingetl.avro.Shipment;
import io.streamingetl.avro.ShippedOrder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.errors.SerializationException;
import org.junit.jupiter.api.Test;

class AvroSerdeTest {

    /** A customer as a writer of the schema before {@code age} was added wrote it. */
    private GenericRecord sueWithoutAge() throws IOException {
        Schema older;
        try (InputStream in = getClass().getResourceAsStream("/older-schemas/Customer-without-age.avsc")) {
            older = new Schema.Parser().parse(in);
        }
        GenericRecord oldSue = new GenericData.Record(older);
        oldSue.put("id", "7");
        oldSue.put("name", "sue");
        return oldSue;
    }

    private static <T extends SpecificRecord> T roundTrip(AvroSerde<T> serde, T value) {
        return serde.deserialize("t", serde.serialize("t", value));
    }

    @Test
    void customerRoundTrips() {
        Customer sue = new Customer("7", "sue", 25);
        assertThat(roundTrip(AvroSerde.of(Customer.class), sue)).isEqualTo(sue);
    }

    @Test
    void customerWithNullFieldsRoundTrips() {
        Customer nameless = new Customer("8", null, null);
        assertThat(roundTrip(AvroSerde.of(Customer.class), nameless)).isEqualTo(nameless);
    }

    @Test
    void orderRoundTrips() {
        Order order = new Order("22", "7", 29.71, "aud", "2020-04-04T00:12:00");
        assertThat(roundTrip(AvroSerde.of(Order.class), order)).isEqualTo(order);
    }

    @Test
    void shipmentRoundTrips() {
        Shipment shipment = new Shipment("71", "22", "iowa", "2020-04-04T12:25:00");
        assertThat(roundTrip(AvroSerde.of(Shipment.class), shipment)).isEqualTo(shipment);
    }

    @Test
    void enrichedOrderRoundTrips() {
        EnrichedOrder known = new EnrichedOrder("22", "7", "sue", 25, 29.71, "aud", "2020-04-04T00:12:00");
        EnrichedOrder unknown = new EnrichedOrder("23", "99", null, null, 1.0, "usd", "2020-04-04T00:12:00");
        assertThat(roundTrip(AvroSerde.of(EnrichedOrder.class), known)).isEqualTo(known);
        assertThat(roundTrip(AvroSerde.of(EnrichedOrder.class), unknown)).isEqualTo(unknown);
    }

    @Test
    void shippedOrderRoundTrips() {
        ShippedOrder shipped = new ShippedOrder("22", "71", "7", "sue", 25, "iowa", 29.71, "aud");
        assertThat(roundTrip(AvroSerde.of(ShippedOrder.class), shipped)).isEqualTo(shipped);
    }

    @Test
    void tombstoneStaysNull() {
        AvroSerde<Customer> serde = AvroSerde.of(Customer.class);
        assertThat(serde.serialize("t", null)).isNull();
        assertThat(serde.deserialize("t", null)).isNull();
    }

    @Test
    void bytesAreAvroSingleObjectEncoding() {
        byte[] bytes = AvroSerde.of(Customer.class).serialize("t", new Customer("7", "sue", 25));
        assertThat(bytes[0]).isEqualTo((byte) 0xC3);
        assertThat(bytes[1]).isEqualTo((byte) 0x01);
    }

    @Test
    void undecodableBytesNameTheTopicAndType() {
        assertThatThrownBy(() -> AvroSerde.of(Order.class).deserialize("my-replica-set.logistics.orders",
                "{\"order_id\": 1}".getBytes()))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("Cannot decode a Order from topic my-replica-set.logistics.orders (15 bytes): ");
    }

    @Test
    void aValueOfAnotherTypeIsRejected() {
        byte[] shipment = AvroSerde.of(Shipment.class).serialize("t", new Shipment("71", "22", "iowa", "2020-04-04T12:25:00"));
        assertThatThrownBy(() -> AvroSerde.of(Order.class).deserialize("orders", shipment))
                .isInstanceOf(SerializationException.class)
                .hasMessageStartingWith("Cannot decode a Order from topic orders");
    }

    @Test
    void readerDecodesWhatAnOlderSchemaVersionWrote() throws IOException {
        GenericRecord oldSue = sueWithoutAge();
        Schema older = oldSue.getSchema();
        byte[] written = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), older).encode(oldSue).array();

        AvroSerde<Customer> reader = new AvroSerde<>(Customer.class, Customer.getClassSchema(),
                List.of(older, Customer.getClassSchema()));

        assertThat(reader.deserialize("customers.public.customers", written)).isEqualTo(new Customer("7", "sue", null));
    }

    @Test
    void aValueDeclaringAHugeStringIsRefusedWithoutAllocatingIt() {
        AvroSerde<Order> serde = AvroSerde.of(Order.class);
        byte[] header = Arrays.copyOf(serde.serialize("orders", new Order("1", "2", 1.0, "usd", "2020-04-03T11:20:00")), 10);
        // The single-object header of Order, then an order_id declared 2,000,000,000 bytes long (zig-zag varint).
        byte[] crafted = ByteBuffer.allocate(15).put(header).put(new byte[] {(byte) 0x80, (byte) 0xd0, (byte) 0xac, (byte) 0xf3, 0x0e})
                .array();

        assertThatThrownBy(() -> serde.deserialize("orders", crafted))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Cannot decode a Order from topic orders (15 bytes)")
                .hasMessageContaining("exceeds maximum allowed");
    }

    @Test
    void withARegistryBytesAreConfluentWireFormatWithTheRegisteredId() {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry("test");
        registry.register("other-value", Shipment.getClassSchema());
        byte[] bytes = AvroSerde.of(Customer.class, registry, "customers-value").serialize("customers", new Customer("7", "sue", 25));

        assertThat(bytes[0]).isEqualTo((byte) 0);
        assertThat(ByteBuffer.wrap(bytes, 1, 4).getInt()).isEqualTo(2);
        assertThat(registry.schema(2)).isEqualTo(Customer.getClassSchema());
    }

    @Test
    void withARegistryAValueRoundTrips() {
        AvroSerde<Order> serde = AvroSerde.of(Order.class, new InMemorySchemaRegistry("test"), "orders-value");
        Order order = new Order("22", "7", 29.71, "aud", "2020-04-04T00:12:00");
        assertThat(roundTrip(serde, order)).isEqualTo(order);
    }

    @Test
    void aRegistryReaderDecodesSingleObjectValuesWrittenBeforeTheRegistry() {
        Order order = new Order("22", "7", 29.71, "aud", "2020-04-04T00:12:00");
        byte[] before = AvroSerde.of(Order.class).serialize("orders", order);

        assertThat(AvroSerde.of(Order.class, new InMemorySchemaRegistry("test"), "orders-value").deserialize("orders", before))
                .isEqualTo(order);
    }

    @Test
    void aRegistryReaderDecodesWithTheWriterSchemaOfTheId() throws IOException {
        InMemorySchemaRegistry registry = new InMemorySchemaRegistry("test");
        GenericRecord oldSue = sueWithoutAge();
        Schema older = oldSue.getSchema();
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        written.write(0);
        written.write(ByteBuffer.allocate(4).putInt(registry.register("customers-value", older)).array());
        BinaryEncoder body = EncoderFactory.get().directBinaryEncoder(written, null);
        new GenericDatumWriter<GenericRecord>(older).write(oldSue, body);

        assertThat(AvroSerde.of(Customer.class, registry, "customers-value").deserialize("customers", written.toByteArray()))
                .isEqualTo(new Customer("7", "sue", null));
    }

    @Test
    void anIdTheRegistryDoesNotKnowIsUndecodable() {
        byte[] unknownId = {0, 0, 0, 0x03, (byte) 0xe7, 2, 0x41};
        assertThatThrownBy(() -> AvroSerde.of(Order.class, new InMemorySchemaRegistry("test"), "orders-value").deserialize("orders", unknownId))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("Cannot decode a Order from topic orders (7 bytes): Schema id 999 is unknown");
    }

    @Test
    void aConfluentValueWithoutARegistryConfiguredSaysWhatIsMissing() {
        byte[] framed = AvroSerde.of(Order.class, new InMemorySchemaRegistry("test"), "orders-value")
                .serialize("orders", new Order("22", "7", 29.71, "aud", "2020-04-04T00:12:00"));
        assertThatThrownBy(() -> AvroSerde.of(Order.class).deserialize("orders", framed))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("carries schema id 1 of a schema registry, and none is configured (SCHEMA_REGISTRY_URL)");
    }

    @Test
    void anUnreachableRegistryIsNotADecodingError() {
        InMemorySchemaRegistry writerSide = new InMemorySchemaRegistry("test");
        byte[] framed = AvroSerde.of(Order.class, writerSide, "orders-value")
                .serialize("orders", new Order("22", "7", 29.71, "aud", "2020-04-04T00:12:00"));
        InMemorySchemaRegistry down = new InMemorySchemaRegistry("test");
        down.reachable(false);

        assertThatThrownBy(() -> AvroSerde.of(Order.class, down, "orders-value").deserialize("orders", framed))
                .isInstanceOf(SchemaRegistry.UnavailableException.class);
        assertThatThrownBy(() -> AvroSerde.of(Order.class, down, "orders-value")
                .serialize("orders", new Order("22", "7", 29.71, "aud", "2020-04-04T00:12:00")))
                .isInstanceOf(SchemaRegistry.UnavailableException.class);
    }
}
