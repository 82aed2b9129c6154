package io.streamingetl.customers;

import io.streamingetl.cdc.ChangeCapture;

/** customers-cdc: the Postgres table customers into Kafka, until stopped. Health and metrics on 8081. */
public final class CustomersCdcApp {
    private CustomersCdcApp() {
    }

    public static void main(String[] args) {
        ChangeCapture.main("customers-cdc", 8081, settings -> {
            CustomersCdcConfig config = CustomersCdcConfig.from(settings);
            return new ChangeCapture.Source(config.connectorProperties(), new CustomerChangeRouter(config.topic()), config);
        });
    }
}
