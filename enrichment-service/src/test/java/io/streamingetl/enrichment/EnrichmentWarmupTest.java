package io.streamingetl.enrichment;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.streamingetl.runtime.Health;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.StreamsService;
import io.streamingetl.runtime.TopologyWarmup;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EnrichmentWarmupTest {
    private static final Settings SETTINGS = new Settings(Map.of("SCHEMA_REGISTRY_URL", "mock://enrichment-warm-up"));

    @Test
    void everyRoundOfCustomersAndOrdersGoesThroughACopyOfTheTopology() {
        EnrichmentConfig config = EnrichmentConfig.from(SETTINGS);
        TopologyWarmup warmup = new TopologyWarmup(() -> EnrichmentTopology.build(config), driver -> new EnrichmentWarmup(driver, config));

        int ran = warmup.run("enrichment-service", 2_500, new Health(),
                StreamsService.properties(SETTINGS, "enrichment-service", new SimpleMeterRegistry()));

        assertThat(ran).isEqualTo(2_500);
    }
}
