package io.streamingetl.runtime;

import io.streamingetl.contract.SchemaRegistry;
import io.streamingetl.contract.Topic;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers the value schemas of a service's topics before it starts, so a schema the registry refuses stops
 * the service at once (not at its first record), and no record waits on the registry afterwards. While the
 * registry cannot be asked the service is not ready, says why, and asks again.
 */
final class SchemaRegistration {
    private static final Logger LOG = LoggerFactory.getLogger(SchemaRegistration.class);
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

    private SchemaRegistration() {
    }

    /** Returns once every schema is registered; {@link SchemaRegistry.IncompatibleSchemaException} when one is refused. */
    static void registerAll(String service, Collection<Topic<String, ?>> topics, Health health) throws InterruptedException {
        List<Topic<String, ?>> registered = topics.stream().filter(t -> t.registry() != null)
                .sorted(Comparator.comparing(Topic::name)).toList();
        for (Topic<String, ?> topic : registered) {
            int id = new Backoff(Duration.ofMillis(250), MAX_BACKOFF).untilAnswered(health, service + ": ",
                    SchemaRegistry.UnavailableException.class, e -> "waiting for the schema registry: " + e.getMessage(),
                    topic::registerValueSchema);
            LOG.info("{}: {} is schema id {} of subject {} at {}", service, topic.valueSchema().getFullName(), id,
                    topic.subject(), topic.registry().location());
        }
        health.notReady("starting");
    }
}
