package io.streamingetl.runtime;

import io.streamingetl.contract.SchemaRegistry;
import io.streamingetl.contract.Topic;
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
    private static final long MAX_BACKOFF_MS = 10_000;

    private SchemaRegistration() {
    }

    /** Returns once every schema is registered; {@link SchemaRegistry.IncompatibleSchemaException} when one is refused. */
    static void registerAll(String service, Collection<Topic<?, ?>> topics, Health health) throws InterruptedException {
        List<Topic<?, ?>> registered = topics.stream().filter(t -> t.registry() != null)
                .sorted(Comparator.comparing(Topic::name)).toList();
        long backoff = 250;
        String lastReason = null;
        for (Topic<?, ?> topic : registered) {
            while (true) {
                try {
                    int id = topic.registerValueSchema();
                    LOG.info("{}: {} is schema id {} of subject {} at {}", service, topic.valueSchema().getFullName(), id,
                            topic.subject(), topic.registry().location());
                    break;
                } catch (SchemaRegistry.UnavailableException e) {
                    String reason = "waiting for the schema registry: " + e.getMessage();
                    health.notReady(reason);
                    if (!reason.equals(lastReason)) {
                        LOG.warn("{}: {}; asking again every {} s at most", service, reason, MAX_BACKOFF_MS / 1000);
                        lastReason = reason;
                    }
                    Thread.sleep(backoff);
                    backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
                }
            }
        }
        health.notReady("starting");
    }
}
