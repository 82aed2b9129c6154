package io.streamingetl.runtime;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * What a captured change carries, as headers, through every hop to the index: when it was committed in its
 * source database and which table or collection that was. The CDC services stamp them; Kafka Streams keeps
 * the headers of the record that triggered an output (for the join, the later of order and shipment); the sink
 * measures freshness from them.
 */
public final class ChangeHeaders {
    /** Epoch milliseconds of the commit in the source database, as decimal text. */
    public static final String SOURCE_TS_MS = "source.ts_ms";
    /** The captured table or collection, e.g. {@code public.customers}, {@code logistics.orders}. */
    public static final String SOURCE_NAME = "source.name";

    private ChangeHeaders() {
    }

    /** Adds the change's source time (when known, above 0) and its source's name. */
    public static void stamp(Headers headers, long sourceMillis, String sourceName) {
        if (sourceMillis > 0) {
            headers.remove(SOURCE_TS_MS).add(SOURCE_TS_MS, Long.toString(sourceMillis).getBytes(StandardCharsets.UTF_8));
        }
        headers.remove(SOURCE_NAME).add(SOURCE_NAME, sourceName.getBytes(StandardCharsets.UTF_8));
    }

    /** The source commit time in epoch milliseconds; 0 when the record carries none. */
    public static long sourceMillis(Headers headers) {
        Header header = headers.lastHeader(SOURCE_TS_MS);
        try {
            return header == null || header.value() == null ? 0
                    : Long.parseLong(new String(header.value(), StandardCharsets.UTF_8));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** The source's name; {@code unknown} when the record carries none. */
    public static String sourceName(Headers headers) {
        Header header = headers.lastHeader(SOURCE_NAME);
        return header == null || header.value() == null ? "unknown" : new String(header.value(), StandardCharsets.UTF_8);
    }
}
