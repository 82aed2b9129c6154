package io.streamingetl.customers;

import io.streamingetl.cdc.ChangeCapture;
import io.streamingetl.contract.PipelineService;
import io.streamingetl.runtime.Service;
import io.streamingetl.runtime.ServiceLauncher;
import io.streamingetl.runtime.Settings;
import java.util.List;

/** customers-cdc: the Postgres table customers into Kafka, until stopped. Health and metrics on 8081. */
public final class CustomersCdcApp {
    public static final Service.Definition SERVICE =
            new Service.Definition(PipelineService.CUSTOMERS_CDC, ChangeCapture.factory(CustomersCdcApp::source));

    private CustomersCdcApp() {
    }

    public static void main(String[] args) {
        ServiceLauncher.main(SERVICE);
    }

    static ChangeCapture.Source source(Settings settings) {
        CustomersCdcConfig config = CustomersCdcConfig.from(settings);
        CustomerChangeRouter router = new CustomerChangeRouter(config.topic(), config.topicPrefix() + "." + config.table());
        SlotHistory history = new SlotHistory(config);
        return new ChangeCapture.Source(config.connectorProperties(), router, List.of(config.topic()), config,
                new ReplicationSlotMonitor(config, history), new CustomerSnapshots(config), history);
    }
}
