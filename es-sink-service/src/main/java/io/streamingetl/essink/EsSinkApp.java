package io.streamingetl.essink;

import co.elastic.clients.elasticsearch.ElasticsearchClient;
import io.streamingetl.runtime.ServiceRuntime;
import io.streamingetl.runtime.TopicAdmin;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** es-sink-service: shipped_orders into Elasticsearch, until stopped. Health and metrics on 8085. */
public final class EsSinkApp {
    private static final Logger LOG = LoggerFactory.getLogger(EsSinkApp.class);
    static final String SERVICE = "es-sink-service";

    private EsSinkApp() {
    }

    public static void main(String[] args) {
        ServiceRuntime.launch(SERVICE, settings -> {
            EsSinkConfig config = EsSinkConfig.from(settings);
            ServiceRuntime runtime = ServiceRuntime.start(SERVICE, settings, 8085);
            runtime.health().notReady("connecting to Elasticsearch at " + config.url());
            LOG.info("{}: starting with {}", SERVICE, config);
            TopicAdmin.ensureTopics(settings, List.of(config.topic().name()));
            ElasticsearchClient client = ElasticsearchClients.connect(config, runtime.health());
            ShippedOrderSink sink = new ShippedOrderSink(config, client, runtime.registry(), runtime.health());
            CountDownLatch done = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                sink.close();
                try {
                    done.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                runtime.close();
            }, "shutdown"));
            try {
                sink.run();
            } finally {
                done.countDown();
            }
            return false;
        });
    }
}
