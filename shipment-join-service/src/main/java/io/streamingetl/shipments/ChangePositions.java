package io.streamingetl.shipments;

import io.streamingetl.contract.ChangeHeaders;
import io.streamingetl.contract.Positioned;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.FixedKeyProcessor;
import org.apache.kafka.streams.processor.api.FixedKeyProcessorContext;
import org.apache.kafka.streams.processor.api.FixedKeyRecord;

/**
 * Moves a change's source position between its header and its value around the join: into the value before (the
 * join's stores keep values, not headers, and its joiner sees values only), and the shipped order's version back into
 * its header after, where the sink reads it.
 */
final class ChangePositions {
    private ChangePositions() {
    }

    /** A record's value with the position its header carries (0 when it carries none). */
    static <V> FixedKeyProcessor<String, V, Positioned<V>> attach() {
        return new Forwarding<>() {
            @Override
            public void process(FixedKeyRecord<String, V> record) {
                context.forward(record.withValue(new Positioned<>(ChangeHeaders.version(record.headers()), record.value())));
            }
        };
    }

    /** The shipped order, its version in its header. */
    static <V> FixedKeyProcessor<String, Positioned<V>, V> detach() {
        return new Forwarding<>() {
            @Override
            public void process(FixedKeyRecord<String, Positioned<V>> record) {
                // The join hands every pair one change completes the same headers: each gets a copy of its own.
                RecordHeaders headers = new RecordHeaders(record.headers().toArray());
                if (record.value().position() > 0) {
                    ChangeHeaders.setVersion(headers, record.value().position());
                } else {
                    headers.remove(ChangeHeaders.CHANGE_VERSION);
                }
                context.forward(record.withValue(record.value().value()).withHeaders(headers));
            }
        };
    }

    private abstract static class Forwarding<I, O> implements FixedKeyProcessor<String, I, O> {
        FixedKeyProcessorContext<String, O> context;

        @Override
        public void init(FixedKeyProcessorContext<String, O> context) {
            this.context = context;
        }
    }
}
