package io.streamingetl.harness;

import static org.awaitility.Awaitility.await;

import io.streamingetl.localstack.HttpProbe;
import java.time.Duration;
import java.util.Collection;
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

    /** True once the table knows every id in {@code ids}; false when {@code timeout} ran out first. */
    public boolean awaitKnown(Collection<String> ids, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            for (String id : ids) {
                await().atMost(Duration.ofNanos(Math.max(1, deadline - System.nanoTime()))).pollInterval(Duration.ofMillis(50))
                        .until(() -> HttpProbe.get(enrichmentUrl + "/customers/" + id, authorization).status() == 200);
            }
            return true;
        } catch (ConditionTimeoutException e) {
            return false;
        }
    }
}
