package io.streamingetl.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingetl.avro.Customer;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

class PositionedTest {
    private static final Topic<String, Customer> CUSTOMERS = Topics.CUSTOMERS;
    private static final Serde<Positioned<Customer>> SERDE = Positioned.serde(CUSTOMERS.valueSerde());

    private static Positioned<Customer> roundTrip(Positioned<Customer> positioned) {
        return SERDE.deserializer().deserialize("store", SERDE.serializer().serialize("store", positioned));
    }

    @Test
    void aValueAndItsPositionComeBackAsTheyWereStored() {
        Positioned<Customer> stored = new Positioned<>(0x1_0000_0000L, new Customer("7", "sue", 25));

        assertThat(roundTrip(stored)).isEqualTo(stored);
    }

    @Test
    void aDeleteIsAPositionWithoutAValue() {
        assertThat(roundTrip(new Positioned<>(200, null))).isEqualTo(new Positioned<Customer>(200, null));
    }

    @Test
    void bytesStoredBeforePositionsWereKeptAreReadAtAnUnknownPosition() {
        byte[] before = CUSTOMERS.serializeValue(new Customer("7", "sue", 25));

        assertThat(SERDE.deserializer().deserialize("store", before)).isEqualTo(new Positioned<>(0, new Customer("7", "sue", 25)));
    }

    @Test
    void onlyAKnownLowerPositionIsOlder() {
        assertThat(new Positioned<>(100, "a").olderThan(new Positioned<>(200, "b"))).isTrue();
        assertThat(new Positioned<>(200, "a").olderThan(new Positioned<>(200, "b"))).isFalse();
        assertThat(new Positioned<>(0, "a").olderThan(new Positioned<>(200, "b"))).isFalse();
        assertThat(new Positioned<>(100, "a").olderThan(new Positioned<>(0, "b"))).isFalse();
        assertThat(new Positioned<>(100, "a").olderThan(null)).isFalse();
    }
}
