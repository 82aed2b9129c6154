package io.streamingetl.harness;

import static org.awaitility.Awaitility.await;

import io.streamingetl.localstack.HttpProbe;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Map;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Asks enrichment-service's customer table ({@code GET /customers/<id>}, with the operator's token) until it
 * knows each customer: an order inserted after that meets its customer, as the tutorial's reader lets the
 * customers arrive before typing the orders.
 */
public final class CustomerTableProbe {
    private final String enrichmentUrl;
    private final Map<String, String> authorization;

    public CustomerTableProbe(String enrichmentUrl, String opsToken) {
        this.enrichmentUrl = enrichmentUrl;
        this.authorization = Map.of("Authorization", "Bearer " + opsToken);
    }

    /**
     * True once the table knows every id in {@code ids}; false when {@code timeout} ran out first. Each poll asks
     * for the ids not yet known, in order, until one is missing: one wait for the whole list, however long.
     */
    public boolean awaitKnown(Collection<String> ids, Duration timeout) {
        Deque<String> unknown = new ArrayDeque<>(ids);
        try {
            await().atMost(timeout).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(50)).until(() -> {
                while (!unknown.isEmpty() && known(unknown.peek())) {
                    unknown.pop();
                }
                return unknown.isEmpty();
            });
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }

    private boolean known(String id) {
        return HttpProbe.get(enrichmentUrl + "/customers/" + id, authorization).status() == 200;
    }
}
