package io.streamingetl.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyRunTest {
    @Test
    void theStepAfterOneHeldIsHalfAgainAsHighInHundreds() {
        assertThat(LatencyRun.nextStep(1000)).isEqualTo(1500);
        assertThat(LatencyRun.nextStep(1500)).isEqualTo(2300);
        assertThat(LatencyRun.nextStep(100)).isEqualTo(200);
        assertThat(LatencyRun.nextStep(10)).isEqualTo(110);
    }
}
