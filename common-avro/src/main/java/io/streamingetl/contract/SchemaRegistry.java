package io.streamingetl.contract;

import java.util.Optional;
import java.util.OptionalInt;
import org.apache.avro.Schema;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RetriableException;

/**
 * Where value schemas live and get their ids: a Confluent-compatible schema registry (Confluent Schema
 * Registry, Apicurio's {@code /apis/ccompat/v7}, Karapace). Values on the topics carry the id, so any Kafka tool
 * that speaks Confluent's wire format reads them.
 */
public interface SchemaRegistry {
    /** The id of {@code schema} under {@code subject}, registered when new; the registry's compatibility rule decides. */
    int register(String subject, Schema schema);

    /** The id of {@code schema} under {@code subject} if it is registered there; registers nothing. */
    OptionalInt find(String subject, Schema schema);

    /** The schema with {@code id}; an id the registry does not know is a {@link org.apache.kafka.common.errors.SerializationException}. */
    Schema schema(int id);

    /** Where it is, for messages. */
    String location();

    /** The registry could not be asked (down, unreachable, overloaded, credentials refused): ask again later. */
    final class UnavailableException extends RetriableException {
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** The registry refused a schema as incompatible with what the subject holds: a deployment error, not data. */
    final class IncompatibleSchemaException extends KafkaException {
        public IncompatibleSchemaException(String message) {
            super(message);
        }
    }

    /** {@code error} or the cause of it that says the registry could not be asked, if any. */
    static Optional<UnavailableException> unavailable(Throwable error) {
        for (Throwable e = error; e != null; e = e.getCause() == e ? null : e.getCause()) {
            if (e instanceof UnavailableException unavailable) {
                return Optional.of(unavailable);
            }
        }
        return Optional.empty();
    }
}
