package io.streamingetl.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class LoadGeneratorTest {
    private final LoadGenerator load = new LoadGenerator(200, Duration.ofSeconds(1), 7);

    @Test
    void aBatchOfDueChangesEndsBeforeAnOrderWhoseShipmentItHolds() {
        int shipment = firstShipmentBeforeItsOrder();
        int order = indexOfOrder(load.changes().get(shipment).document().get("order_id"));

        assertThat(load.dueBatchEnd(shipment, load.changes().size(), Long.MAX_VALUE)).isEqualTo(order);
    }

    @Test
    void aBatchTakesTheChangesDueByNowAndNoMore() {
        int start = firstShipmentBeforeItsOrder() + 1;

        assertThat(load.dueBatchEnd(start, load.changes().size(), start + 2)).isEqualTo(start + 3);
    }

    @Test
    void aBatchTakesAtLeastTheChangeDueFirst() {
        assertThat(load.dueBatchEnd(10, load.changes().size(), 5)).isEqualTo(11);
    }

    @Test
    void moreOrdersContinueTheLoadWithNewOrdersAndTheirShipments() {
        int before = load.changes().size();

        load.addOrders(100);

        List<Object> orders = load.changes().stream().filter(c -> c.collection().equals("orders"))
                .map(c -> c.document().get("order_id")).toList();
        assertThat(orders).containsExactlyElementsOf(IntStream.range(0, 300).mapToObj(o -> (Object) ("o" + o)).toList());
        assertThat(load.changes().subList(0, before)).noneMatch(c -> c.document().get("order_id").equals("o200"));
        assertThat(load.expectedDocuments()).containsKeys(load.changes().subList(before, load.changes().size()).stream()
                .filter(c -> c.collection().equals("shipments") && !c.document().get("order_id").toString().startsWith("unknown"))
                .map(c -> c.document().get("order_id").toString()).toArray(String[]::new));
    }

    private int firstShipmentBeforeItsOrder() {
        List<LoadGenerator.Change> changes = load.changes();
        return IntStream.range(0, changes.size()).filter(i -> changes.get(i).collection().equals("shipments")
                && indexOfOrder(changes.get(i).document().get("order_id")) > i).findFirst().orElseThrow();
    }

    private int indexOfOrder(Object orderId) {
        List<LoadGenerator.Change> changes = load.changes();
        return IntStream.range(0, changes.size()).filter(i -> changes.get(i).collection().equals("orders")
                && changes.get(i).document().get("order_id").equals(orderId)).findFirst().orElse(-1);
    }
}
