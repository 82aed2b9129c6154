package io.streamingetl.contract;

/**
 * The pipeline's topics and their defaults, as in the contract (spec/PIPELINE.md). Services read each name
 * from a setting whose default is the constant here, so a deployment can rename any of them.
 */
public final class Topics {
    public static final String CUSTOMERS = "customers.public.customers";
    public static final String ORDERS = "my-replica-set.logistics.orders";
    public static final String SHIPMENTS = "my-replica-set.logistics.shipments";
    public static final String ENRICHED_ORDERS = "enriched_orders";
    public static final String SHIPPED_ORDERS = "shipped_orders";

    /** The suffix of every dead-letter topic: a record read from {@code t} that cannot be handled goes to {@code t.dlq}. */
    public static final String DEAD_LETTER_SUFFIX = ".dlq";

    private Topics() {
    }

    public static String deadLetterOf(String topic) {
        return topic + DEAD_LETTER_SUFFIX;
    }
}
