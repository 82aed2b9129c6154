package io.streamingetl.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
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
    void anHourOutOfRangeIsRejected() {
        assertThatThrownBy(() -> EventTime.parse("2020-04-03T24:00:00"))
                .isInstanceOf(EventTime.InvalidEventTimeException.class);
    }

    @Test
    void theFieldByFieldReadingAgreesWithTheFormatterOverAYear() {
        for (Instant t = Instant.parse("2019-12-31T23:59:59Z"); t.isBefore(Instant.parse("2021-01-01T00:00:00Z")); t = t.plusSeconds(3_607)) {
            String ts = EventTime.FORMAT.format(LocalDateTime.ofInstant(t, ZoneOffset.UTC));
            assertThat(EventTime.parse(ts)).isEqualTo(t);
        }
    }

    @Test
    void aMissingTsIsRejected() {
        assertThatThrownBy(() -> EventTime.parse(null)).hasMessage("ts is missing");
    }
}
