package io.streamingetl.logistics;

import io.streamingetl.cdc.ChangeCapture;

/** logistics-cdc: MongoDB orders and shipments into Kafka, until stopped. Health and metrics on 8082. */
public final class LogisticsCdcApp {
    private LogisticsCdcApp() {
    }

    public static void main(String[] args) {
        ChangeCapture.main("logistics-cdc", 8082, settings -> {
            LogisticsCdcConfig config = LogisticsCdcConfig.from(settings);
            return new ChangeCapture.Source(config.connectorProperties(), new LogisticsChangeRouter(config), config);
        });
    }
}
