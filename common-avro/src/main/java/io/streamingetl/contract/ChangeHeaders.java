package io.streamingetl.contract;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * What a captured change carries, as headers, through every hop to the index: when it was committed in its
 * source database, which table or collection that was, and its version. The CDC services stamp them; Kafka
 * Streams keeps the headers of the record that triggered an output (for the join, the later of order and
 * shipment); the join sets the version of what it writes; the sink measures freshness from them and writes
 * each document at its version.
 */
public final class ChangeHeaders {
    /** Epoch milliseconds of the commit in the source database, as decimal text. */
    public static final String SOURCE_TS_MS = "source.ts_ms";
    /** The captured table or collection, e.g. {@code public.customers}, {@code logistics.orders}. */
    public static final String SOURCE_NAME = "source.name";
    /**
     * What orders the changes of one key, as decimal text: of a captured change, its position in its source's
     * log (a Postgres LSN; a MongoDB cluster time, {@link #mongoPosition}), which a later commit of the same row or
     * document always exceeds; of a shipped order, the version the join computes from the positions of its order
     * and its shipment. Replays, partition changes and index rebuilds keep it, as it travels with the record.
     */
    public static final String CHANGE_VERSION = "change.version";

    private ChangeHeaders() {
    }

    /** Adds the change's source time and version (each when known, above 0) and its source's name. */
    public static void stamp(Headers headers, long sourceMillis, String sourceName, long version) {
        if (sourceMillis > 0) {
            headers.remove(SOURCE_TS_MS).add(SOURCE_TS_MS, Long.toString(sourceMillis).getBytes(StandardCharsets.UTF_8));
        }
        headers.remove(SOURCE_NAME).add(SOURCE_NAME, sourceName.getBytes(StandardCharsets.UTF_8));
        if (version > 0) {
            setVersion(headers, version);
        }
    }

    /** Sets the change's version (replacing any). */
    public static void setVersion(Headers headers, long version) {
        headers.remove(CHANGE_VERSION).add(CHANGE_VERSION, Long.toString(version).getBytes(StandardCharsets.UTF_8));
    }

    /** Bits of a MongoDB position that hold the ordinal within its second. */
    public static final int MONGO_ORDINAL_BITS = 20;
    /** The largest ordinal a MongoDB position tells apart: changes beyond it in one second share it. */
    public static final long MONGO_MAX_ORDINAL = (1L << MONGO_ORDINAL_BITS) - 1;

    /**
     * The position of a captured change in its source's log, from Debezium's source offset: Postgres's
     * {@code lsn}, or MongoDB's cluster time ({@code sec}, {@code ord}, see {@link #mongoPosition}); 0 when the
     * offset has neither (a heartbeat of the MongoDB stand-in carries {@code sec} -1).
     */
    public static long positionOf(Map<String, ?> sourceOffset) {
        if (sourceOffset == null) {
            return 0;
        }
        if (sourceOffset.get("lsn") instanceof Number lsn) {
            return Math.max(0, lsn.longValue());
        }
        if (sourceOffset.get("sec") instanceof Number seconds && seconds.longValue() > 0) {
            return mongoPosition(seconds.longValue(), sourceOffset.get("ord") instanceof Number ord ? ord.longValue() : 0);
        }
        return 0;
    }

    /**
     * A MongoDB cluster time as one number: {@code seconds << 20 | ordinal}, below 2^52 until the year 2106 (an
     * unsigned 32-bit second), so a shipped order's version has room for both of its inputs' positions
     * ({@code ShippedOrderVersion}). The ordinal saturates at {@link #MONGO_MAX_ORDINAL}: a primary does not
     * commit a million changes in one second.
     */
    public static long mongoPosition(long seconds, long ordinal) {
        return (seconds & 0xFFFF_FFFFL) << MONGO_ORDINAL_BITS | Math.min(Math.max(ordinal, 0), MONGO_MAX_ORDINAL);
    }

    /** The source commit time in epoch milliseconds; 0 when the record carries none. */
    public static long sourceMillis(Headers headers) {
        return longValue(headers, SOURCE_TS_MS);
    }

    /** The record's {@link #CHANGE_VERSION}; 0 when it carries none. */
    public static long version(Headers headers) {
        return longValue(headers, CHANGE_VERSION);
    }

    /** The source's name; {@code unknown} when the record carries none. */
    public static String sourceName(Headers headers) {
        Header header = headers.lastHeader(SOURCE_NAME);
        return header == null || header.value() == null ? "unknown" : new String(header.value(), StandardCharsets.UTF_8);
    }

    private static long longValue(Headers headers, String name) {
        Header header = headers.lastHeader(name);
        try {
            return header == null || header.value() == null ? 0
                    : Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
