package io.streamingetl.logistics;

import io.streamingetl.cdc.ChangeCapture;
import io.streamingetl.contract.PipelineService;
import io.streamingetl.runtime.Service;
import io.streamingetl.runtime.ServiceLauncher;
import io.streamingetl.runtime.Settings;
import java.util.List;

/** logistics-cdc: MongoDB orders and shipments into Kafka, until stopped. Health and metrics on 8082. */
public final class LogisticsCdcApp {
    public static final Service.Definition SERVICE =
            new Service.Definition(PipelineService.LOGISTICS_CDC, ChangeCapture.factory(LogisticsCdcApp::source));

    private LogisticsCdcApp() {
    }

    public static void main(String[] args) {
        ServiceLauncher.main(SERVICE);
    }

    static ChangeCapture.Source source(Settings settings) {
        LogisticsCdcConfig config = LogisticsCdcConfig.from(settings);
        return new ChangeCapture.Source(config.connectorProperties(), new LogisticsChangeRouter(config),
                List.of(config.orders(), config.shipments()), config, ChangeCapture.SourceMonitor.NONE, new LogisticsSnapshots(config), new ResumeTokenHistory(config));
    }
}
