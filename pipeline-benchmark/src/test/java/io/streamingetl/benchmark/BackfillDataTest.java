package io.streamingetl.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingetl.contract.EventTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.bson.Document;
import org.junit.jupiter.api.Test;

/** The backfill's sources: every record within the join's window and grace of the live load, the documents they make. */
class BackfillDataTest {
    private final Instant end = Instant.parse("2026-12-07T12:00:00Z");
    private final BackfillData data = new BackfillData(1000, 20_000, end);

    @Test
    void nineOrdersInTenHaveAShipmentAndSoADocument() {
        long documents = 0;
        for (int o = 0; o < data.orders(); o++) {
            documents += data.expected(o) == null ? 0 : 1;
        }
        assertThat(documents).isEqualTo(data.shippedOrders()).isEqualTo(18_000);
        assertThat(new BackfillData(1, 11, end).shippedOrders()).isEqualTo(9);
    }

    @Test
    void everyOrderAndShipmentLiesWithinTheJoinsWindowOfTheFillAndEachShipmentFollowsItsOrderWithinThreeDays() {
        Instant oldest = end.minus(Duration.ofDays(7));
        for (int o = 0; o < data.orders(); o += 7) {
            Instant ordered = EventTime.parse(data.order(o).getString("ts"));
            assertThat(ordered).isBetween(oldest, end);
            if (BackfillData.shipped(o)) {
                Instant shipped = EventTime.parse(data.shipment(o).getString("ts"));
                assertThat(shipped).isBetween(ordered, end);
                assertThat(Duration.between(ordered, shipped)).isLessThan(BackfillData.SHIPPING_SPAN);
            }
        }
    }

    @Test
    void theDocumentIsTheOrderItsShipmentAndItsCustomerAsPostgresHoldsIt() {
        Document order = data.order(42);
        Map<String, Object> expected = data.expected(42);

        assertThat(expected).containsEntry("O_ORDER_ID", "b42").containsEntry("SHIPMENT_ID", "s42")
                .containsEntry("CUSTOMER_ID", order.getString("customer_id")).containsEntry("PRICE", order.getDouble("price"));
        long customer = Long.parseLong(order.getString("customer_id").substring(1));
        // Postgres's row: 'customer-' || g, 18 + (g * 31) % 70
        assertThat(expected).containsEntry("CUSTOMER_NAME", "customer-" + customer)
                .containsEntry("CUSTOMER_AGE", (int) (18 + (customer * 31) % 70));
    }
}
