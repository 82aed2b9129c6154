package io.streamingetl.contract;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;

/**
 * The contract's event time: {@code ts} is a local date-time {@code yyyy-MM-dd'T'HH:mm:ss}, read as UTC. It is
 * the Kafka record timestamp of orders and shipments, so every window is in event time, not capture time.
 */
public final class EventTime {
    public static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);

    private EventTime() {
    }

    /** @throws InvalidEventTimeException when {@code ts} is missing or not in the contract's format */
    public static Instant parse(String ts) {
        if (ts == null) {
            throw new InvalidEventTimeException("ts is missing");
        }
        try {
            return LocalDateTime.parse(ts, FORMAT).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            throw new InvalidEventTimeException("ts '" + ts + "' is not yyyy-MM-dd'T'HH:mm:ss");
        }
    }

    public static long toEpochMillis(String ts) {
        return parse(ts).toEpochMilli();
    }

    public static String format(Instant instant) {
        return FORMAT.format(LocalDateTime.ofInstant(instant, ZoneOffset.UTC));
    }

    public static final class InvalidEventTimeException extends IllegalArgumentException {
        public InvalidEventTimeException(String message) {
            super(message);
        }
    }
}
