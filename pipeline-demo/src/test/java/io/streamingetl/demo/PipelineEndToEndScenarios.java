package io.streamingetl.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.streamingetl.localstack.Engines;
import io.streamingetl.localstack.Eventually;
import io.streamingetl.localstack.TutorialData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The tutorial end to end, as a user runs it: the engines, the five services from their jars as separate
 * processes, the tutorial's data, then its live step, then a service restarted.
 */
abstract class PipelineEndToEndScenarios {
    private static final Duration WAIT = Duration.ofSeconds(60);

    private final Engines engines;
    private PipelineDemo demo;

    PipelineEndToEndScenarios(Engines engines) {
        this.engines = engines;
    }

    @AfterEach
    void stop() {
        if (demo != null) {
            demo.close();
        }
    }

    private Map<String, Map<String, Object>> documentsWhen(Predicate<Map<String, Map<String, Object>>> condition)
            throws Exception {
        return Eventually.await(demo::documents, condition, WAIT, Duration.ofMillis(250));
    }

    @Test
    void theTutorialGivesItsFiveDocumentsTheLiveStepTheSixthAndARestartChangesNothing() throws Exception {
        Path root = repositoryRoot();
        demo = PipelineDemo.start(engines, new PipelineDemo.Options(root, Files.createTempDirectory("demo"), 0, 3));
        TutorialData tutorial = TutorialData.load();
        Map<String, Map<String, Object>> expected = new LinkedHashMap<>(tutorial.expectedDocuments());

        demo.seedTutorial();
        assertThat(documentsWhen(d -> d.size() >= expected.size())).isEqualTo(expected);

        demo.liveStep();
        expected.putAll(tutorial.liveStep().expectedDocument());
        assertThat(documentsWhen(d -> d.size() >= expected.size())).isEqualTo(expected);

        demo.restart("shipment-join-service");
        demo.restart("es-sink-service");
        Thread.sleep(5000);
        assertThat(demo.documents()).isEqualTo(expected);
    }

    /** The repository: the folder with demo.sh, above the module's working directory. */
    static Path repositoryRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.exists(p.resolve("demo.sh"))) {
                return p;
            }
        }
        throw new IllegalStateException("demo.sh not found above " + Path.of("").toAbsolutePath());
    }
}
