package io.streamingetl.harness;

import static org.awaitility.Awaitility.await;

import io.streamingetl.localstack.HttpProbe;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Asks enrichment-service's customer table whether it knows each customer ({@code GET /customers-known/<id>}: no
 * token, no personal data) until it does: an order inserted after that meets its customer, as the tutorial's reader
 * lets the customers arrive before typing the orders.
 */
public final class CustomerTableProbe {
    private final String enrichmentUrl;

    public CustomerTableProbe(String enrichmentUrl) {
        this.enrichmentUrl = enrichmentUrl;
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
        return HttpProbe.get(enrichmentUrl + "/customers-known/" + URLEncoder.encode(id, StandardCharsets.UTF_8)).status() == 200;
    }
}
