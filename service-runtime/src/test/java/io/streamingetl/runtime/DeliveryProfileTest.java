package io.streamingetl.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class DeliveryProfileTest {
    private static Properties streams(Map<String, String> settings) {
        return StreamsService.properties(new Settings(settings), "app", new SimpleMeterRegistry());
    }

    @Test
    void exactlyOnceIsTheDefaultWithStreamsOwnIntervals() {
        Properties properties = streams(Map.of());

        assertThat(properties.get("processing.guarantee")).isEqualTo("exactly_once_v2");
        assertThat(properties).doesNotContainKeys("commit.interval.ms", "producer.linger.ms");
    }

    @Test
    void lowLatencyRunsAtLeastOnceSendingWithinFiveMillisecondsAndCommittingEverySecond() {
        Properties properties = streams(Map.of("DELIVERY_PROFILE", "low-latency"));

        assertThat(properties.get("processing.guarantee")).isEqualTo("at_least_once");
        assertThat(properties.get("commit.interval.ms")).isEqualTo(1000);
        assertThat(properties.get("producer.linger.ms")).isEqualTo(5);
    }

    @Test
    void explicitSettingsWinOverTheProfile() {
        Properties properties = streams(Map.of("DELIVERY_PROFILE", "low-latency", "PROCESSING_GUARANTEE", "exactly_once_v2",
                "KAFKA_STREAMS_COMMIT_INTERVAL_MS", "200"));

        assertThat(properties.get("processing.guarantee")).isEqualTo("exactly_once_v2");
        assertThat(properties.get("commit.interval.ms")).isEqualTo("200");
    }

    @Test
    void anUnknownProfileFailsNamingTheSetting() {
        assertThatThrownBy(() -> DeliveryProfile.from(new Settings(Map.of("DELIVERY_PROFILE", "fast"))))
                .isInstanceOf(SettingsException.class)
                .hasMessageContaining("DELIVERY_PROFILE").hasMessageContaining("'fast'")
                .hasMessageContaining("exactly-once, low-latency");
    }
}
