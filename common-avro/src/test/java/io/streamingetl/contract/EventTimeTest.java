package io.streamingetl.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class EventTimeTest {

    @Test
    void tsIsReadAsUtc() {
        assertThat(EventTime.parse("2020-04-03T11:20:00")).isEqualTo(Instant.parse("2020-04-03T11:20:00Z"));
    }

    @Test
    void formatIsTheInverseOfParse() {
        assertThat(EventTime.format(Instant.parse("2020-04-04T19:20:00Z"))).isEqualTo("2020-04-04T19:20:00");
    }

    @Test
    void aTsWithAZoneIsRejected() {
        assertThatThrownBy(() -> EventTime.parse("2020-04-03T11:20:00Z"))
                .isInstanceOf(EventTime.InvalidEventTimeException.class)
                .hasMessage("ts '2020-04-03T11:20:00Z' is not yyyy-MM-dd'T'HH:mm:ss");
    }

    @Test
    void anImpossibleDateIsRejected() {
        assertThatThrownBy(() -> EventTime.parse("2020-02-30T11:20:00"))
                .isInstanceOf(EventTime.InvalidEventTimeException.class);
    }

    @Test
    void aMissingTsIsRejected() {
        assertThatThrownBy(() -> EventTime.parse(null)).hasMessage("ts is missing");
    }
}
