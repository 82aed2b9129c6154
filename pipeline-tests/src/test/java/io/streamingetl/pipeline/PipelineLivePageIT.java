package io.streamingetl.pipeline;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.streamingetl.cli.UiServer;
import io.streamingetl.contract.PipelineService;
import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.localstack.EmbeddedEngines;
import io.streamingetl.localstack.HttpProbe;
import io.streamingetl.testkit.HeadlessChromium;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * ./pipeline ui against a running pipeline with the tutorial and its live step loaded, the page loaded in Debian's
 * headless Chromium: what a person sees once its scripts ran. A screenshot goes to target/live-page.png.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PipelineLivePageIT {
    private EmbeddedEngines engines;
    private LocalPipeline demo;
    private UiServer page;
    private HeadlessChromium chromium;

    @BeforeAll
    void start() throws Exception {
        chromium = HeadlessChromium.find(Path.of("target", "chromium").toAbsolutePath());
        Assumptions.assumeTrue(chromium.unavailable() == null, () -> chromium.unavailable() + ": the live page's test is skipped");
        engines = EmbeddedEngines.onFreePorts();
        demo = LocalPipeline.start(engines, new LocalPipeline.Options(LocalPipeline.repositoryRoot(),
                Files.createTempDirectory("live-page"), 0, 3));
        demo.seedTutorial();
        demo.liveStep();
        await().atMost(Duration.ofMinutes(2)).until(() -> demo.documents().size() == 6);
        Map<String, String> environment = new HashMap<>(Map.of("KAFKA_BOOTSTRAP_SERVERS", engines.kafkaBootstrapServers(),
                "SCHEMA_REGISTRY_URL", engines.schemaRegistryUrl(), "ES_URL", engines.searchUrl(), "OPS_TOKEN", demo.opsToken()));
        for (PipelineService service : PipelineService.values()) {
            environment.put(service.urlSetting(), "http://127.0.0.1:" + demo.service(service.serviceName()).httpPort());
        }
        page = UiServer.start(environment);
    }

    @AfterAll
    void stop() {
        if (page != null) {
            page.close();
        }
        if (demo != null) {
            demo.close();
        }
    }

    private Document rendered() throws Exception {
        return Jsoup.parse(chromium.dumpDom(page.url(), 10_000));
    }

    @Test
    void thePageShowsTheFiveServicesReadyEachTopicAndTheIndexWithItsSixDocuments() throws Exception {
        Document shown = rendered();

        for (PipelineService service : PipelineService.values()) {
            assertThat(shown.select("[data-service=" + service.serviceName() + "]").text())
                    .startsWith(service.serviceName() + " ready");
        }
        // Six orders make at least six records, more where the join met a pair again (capture delivers at least
        // once; the index keeps one document per order): the page shows what Kafka holds.
        long onKafka = demo.count("shipped_orders");
        assertThat(onKafka).isGreaterThanOrEqualTo(6);
        assertThat(shown.select("[data-topic=shipped_orders]").text()).startsWith("shipped_orders " + onKafka + " records");
        assertThat(shown.select("#index-count").text()).isEqualTo("6 documents");
        assertThat(shown.select("#topology-shipment-join-service").text()).contains("Sub-topology: 0");
        chromium.screenshot(page.url(), Path.of("target", "live-page.png"), 1400, 1000, 10_000);
        assertThat(Path.of("target", "live-page.png")).isNotEmptyFile();
    }

    @Test
    void aPausedSinkShowsAsPausedOnThePage() throws Exception {
        HttpProbe.post("http://127.0.0.1:" + demo.service("es-sink-service").httpPort() + "/control/pause",
                Map.of("Authorization", "Bearer " + demo.opsToken()));
        try {
            assertThat(rendered().select("[data-service=es-sink-service]").text()).startsWith("es-sink-service paused");
        } finally {
            HttpProbe.post("http://127.0.0.1:" + demo.service("es-sink-service").httpPort()
                    + "/control/resume", Map.of("Authorization", "Bearer " + demo.opsToken()));
        }
    }
}
