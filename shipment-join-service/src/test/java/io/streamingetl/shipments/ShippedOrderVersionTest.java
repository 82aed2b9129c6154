package io.streamingetl.shipments;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingetl.contract.ChangeHeaders;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ShippedOrderVersionTest {
    private static long at(String instant, long ordinal) {
        return ChangeHeaders.mongoPosition(Instant.parse(instant).getEpochSecond(), ordinal);
    }

    @Test
    void theNewerInputRanksFirstWhateverTheOlderOne() {
        long newerPair = ShippedOrderVersion.of(at("2026-12-07T10:00:01Z", 1), 0);
        long olderPair = ShippedOrderVersion.of(at("2026-12-07T10:00:00Z", 9), at("2026-12-07T10:00:00Z", 9));

        assertThat(newerPair).isGreaterThan(olderPair);
    }

    @Test
    void ofTwoPairsWithTheSameNewerInputTheOneWhoseOlderInputIsCloserRanksHigher() {
        long newer = at("2026-12-07T10:00:00Z", 1);

        assertThat(ShippedOrderVersion.of(newer, at("2026-12-07T09:00:00Z", 1)))
                .isGreaterThan(ShippedOrderVersion.of(at("2026-12-07T08:00:00Z", 1), newer));
    }

    @Test
    void theSameInputsGiveTheSameVersionWhicheverSideIsWhich() {
        long order = at("2026-12-07T10:00:00Z", 3);
        long shipment = at("2026-12-07T11:00:00Z", 4);

        assertThat(ShippedOrderVersion.of(order, shipment)).isEqualTo(ShippedOrderVersion.of(shipment, order));
    }

    @Test
    void closenessFallsAStepPerOnePointEightPercentOfDistance() {
        assertThat(ShippedOrderVersion.closeness(0)).isEqualTo(2047);
        assertThat(ShippedOrderVersion.closeness(1)).isEqualTo(2047 - 39);
        assertThat(ShippedOrderVersion.closeness(1L << 20)).isEqualTo(2047 - 780);
        assertThat(ShippedOrderVersion.closeness((1L << 52) - 1)).isEqualTo(2047 - 2028);
    }

    @Test
    void versionsStayPositiveAndGrowUntilTheYear2106() {
        long last = ChangeHeaders.mongoPosition(0xFFFF_FFFFL, ChangeHeaders.MONGO_MAX_ORDINAL);

        assertThat(ShippedOrderVersion.of(last, last)).isPositive()
                .isGreaterThan(ShippedOrderVersion.of(at("2100-12-31T23:59:59Z", 1), at("2100-12-31T23:59:59Z", 1)));
        assertThat(ShippedOrderVersion.of(at("2038-01-19T03:14:08Z", 1), 0))
                .isGreaterThan(ShippedOrderVersion.of(at("2038-01-19T03:14:07Z", 1), 0)).isPositive();
    }

    @Test
    void aPositionCapturedBeforePositionsWere52BitsIsReadAsToday() {
        long seconds = Instant.parse("2026-12-07T10:00:00Z").getEpochSecond();
        long before = seconds << 32 | 7;

        assertThat(ShippedOrderVersion.of(before, at("2026-12-07T09:00:00Z", 1)))
                .isEqualTo(ShippedOrderVersion.of(ChangeHeaders.mongoPosition(seconds, 7), at("2026-12-07T09:00:00Z", 1)));
    }

    @Test
    void noPositionOnEitherSideIsNoVersion() {
        assertThat(ShippedOrderVersion.of(0, 0)).isZero();
    }

    /** The limit of one number: older inputs a moment apart, far from the newer, rank alike (the later written wins). */
    @Test
    void olderInputsWithinOnePointEightPercentOfEachOthersDistanceTie() {
        long update = at("2026-12-07T10:00:00Z", 1);

        assertThat(ShippedOrderVersion.of(update, at("2026-12-07T09:00:00Z", 1)))
                .isEqualTo(ShippedOrderVersion.of(update, at("2026-12-07T09:00:00Z", 2)));
        assertThat(ShippedOrderVersion.of(update, at("2026-12-07T09:59:58Z", 1)))
                .isLessThan(ShippedOrderVersion.of(update, at("2026-12-07T09:59:59Z", 1)));
    }
}
