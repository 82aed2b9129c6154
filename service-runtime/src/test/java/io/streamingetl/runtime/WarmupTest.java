package io.streamingetl.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WarmupTest {
    @Test
    void aServiceRunsItsRoundsNotReadyMeanwhileAndSaysWhy() {
        Health health = new Health();
        List<String> reasons = new ArrayList<>();

        int ran = Warmup.run("test-service", 3, health, i -> reasons.add(health.isReady() + " " + health.notReadyReason()));

        assertThat(ran).isEqualTo(3);
        assertThat(reasons).hasSize(3).allSatisfy(r -> assertThat(r).startsWith("false warming up: 3 records of its own kind"));
    }

    @Test
    void aRoundThatFailsEndsTheWarmUpNotTheService() {
        int ran = Warmup.run("test-service", 10, new Health(), i -> {
            if (i == 4) {
                throw new IllegalStateException("a sample its code refuses");
            }
        });

        assertThat(ran).isEqualTo(4);
    }

    @Test
    void noneAskedForIsNoneRun() {
        assertThat(Warmup.run("test-service", 0, new Health(), i -> {
            throw new AssertionError("no round expected");
        })).isZero();
        assertThat(Warmup.records(new Settings(Map.of()))).isEqualTo(20_000);
        assertThat(Warmup.records(new Settings(Map.of("WARM_UP_RECORDS", "0")))).isZero();
    }
}
