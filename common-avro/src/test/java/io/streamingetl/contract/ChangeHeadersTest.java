package io.streamingetl.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ChangeHeadersTest {
    @Test
    void mongoPositionsKeepGrowingPast2038AndStayBelow2To52() {
        long before2038 = ChangeHeaders.positionOf(Map.of("sec", (1L << 31) - 1, "ord", 5));
        long after2038 = ChangeHeaders.positionOf(Map.of("sec", 1L << 31, "ord", 1));
        long in2100 = ChangeHeaders.positionOf(Map.of("sec", 4_102_444_799L, "ord", 2_000_000));

        assertThat(after2038).isGreaterThan(before2038).isPositive();
        assertThat(in2100).isGreaterThan(after2038).isLessThan(1L << 52);
        assertThat(in2100 & ChangeHeaders.MONGO_MAX_ORDINAL).isEqualTo(ChangeHeaders.MONGO_MAX_ORDINAL);
    }

    @Test
    void aPostgresPositionIsItsLsn() {
        assertThat(ChangeHeaders.positionOf(Map.of("lsn", 24_023_128L, "txId", 555))).isEqualTo(24_023_128L);
    }

    @Test
    void anOffsetWithoutAPositionHasNone() {
        assertThat(ChangeHeaders.positionOf(Map.of("sec", -1))).isZero();
        assertThat(ChangeHeaders.positionOf(null)).isZero();
    }
}
