package io.streamingetl.contract;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.ResolverStyle;

/**
 * The contract's event time: {@code ts} is a local date-time {@code yyyy-MM-dd'T'HH:mm:ss}, read as UTC. It is
 * the Kafka record timestamp of orders and shipments, so every window is in event time, not capture time.
 */
public final class EventTime {
    public static final DateTimeFormatter FORMAT = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss")
            .withResolverStyle(ResolverStyle.STRICT);
    /** {@link #FORMAT}'s shape: a digit where it has a 0. */
    private static final String SHAPE = "0000-00-00T00:00:00";

    private EventTime() {
    }

    /** @throws InvalidEventTimeException when {@code ts} is missing or not in the contract's format */
    public static Instant parse(String ts) {
        if (ts == null) {
            throw new InvalidEventTimeException("ts is missing");
        }
        try {
            return (inShape(ts) ? LocalDateTime.of(number(ts, 0, 4), number(ts, 5, 7), number(ts, 8, 10), number(ts, 11, 13),
                    number(ts, 14, 16), number(ts, 17, 19)) : LocalDateTime.parse(ts, FORMAT)).toInstant(ZoneOffset.UTC);
        } catch (DateTimeException e) {
            throw new InvalidEventTimeException("ts '" + ts + "' is not yyyy-MM-dd'T'HH:mm:ss");
        }
    }

    /**
     * Whether {@code ts} has the format's shape, digits and separators where it has them: read field by field,
     * as every service reads each record's time once or twice and the formatter took a tenth of their CPU. Any
     * other text goes to the formatter, which says what it accepts.
     */
    private static boolean inShape(String ts) {
        if (ts.length() != 19) {
            return false;
        }
        for (int i = 0; i < 19; i++) {
            char c = ts.charAt(i);
            char separator = SHAPE.charAt(i);
            if (separator == '0' ? c < '0' || c > '9' : c != separator) {
                return false;
            }
        }
        return true;
    }

    private static int number(String ts, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            n = 10 * n + ts.charAt(i) - '0';
        }
        return n;
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
