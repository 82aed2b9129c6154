package io.streamingetl.harness;

import io.streamingetl.localstack.Eventually;
import io.streamingetl.localstack.HttpProbe;
import java.time.Duration;
import java.util.Collection;
import java.util.Map;

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

    /** True once the table knows every id in {@code ids}; false when {@code timeout} ran out first. */
    public boolean awaitKnown(Collection<String> ids, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (String id : ids) {
            Duration left = Duration.ofNanos(Math.max(0, deadline - System.nanoTime()));
            if (Eventually.await(() -> HttpProbe.get(enrichmentUrl + "/customers/" + id, authorization).status(),
                    status -> status == 200, left, Duration.ofMillis(50)) != 200) {
                return false;
            }
        }
        return true;
    }
}
