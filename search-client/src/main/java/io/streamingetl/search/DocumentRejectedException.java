package io.streamingetl.search;

import io.streamingetl.runtime.DeadLetterWriter;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * The engine refused a document for itself (a mapping or parse error, an illegal value, a document too large): the
 * reason of its dead letter, at stage {@value #STAGE}, the same whether the live sink or {@code ./pipeline reindex}
 * met it.
 */
public final class DocumentRejectedException extends Exception {
    public static final String STAGE = "index";

    public DocumentRejectedException(String engine, int status, String reason) {
        super(engine + " rejected the document (" + status + "): " + reason);
    }

    /** Sends the dead letter of the record {@code rejection} wrote (awaited by {@link DeadLetterWriter#awaitAll}). */
    public static void deadLetter(DeadLetterWriter writer, BulkWriter.Rejection<ConsumerRecord<byte[], byte[]>> rejection,
                                  String engine) {
        writer.send(STAGE, rejection.write().source(), new DocumentRejectedException(engine, rejection.status(),
                rejection.reason()));
    }
}
