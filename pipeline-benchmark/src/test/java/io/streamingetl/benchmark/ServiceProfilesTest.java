package io.streamingetl.benchmark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.parallel.Isolated;

/** Alone in its JVM while it runs ({@link Isolated}): it profiles the whole JVM, and other classes' threads would be in it. */
@Isolated
class ServiceProfilesTest {
    @TempDir
    Path profiles;

    @Test
    void aServicesProfileNamesTheOwnMethodItsCpuWentTo() throws Exception {
        recordSpinning("bench-enrichment-service-1", Duration.ofMillis(500));

        Map<String, List<String>> summary = ServiceProfiles.summarize(profiles, List.of("enrichment-service", "es-sink-service"));

        assertThat(summary).containsOnlyKeys("enrichment-service");
        assertThat(summary.get("enrichment-service")).anyMatch(line -> line.startsWith("within")
                && line.endsWith(" io.streamingetl.benchmark.ServiceProfilesTest.spin"));
    }

    @Test
    void onlyTheSamplesWithinTheMeasuredWindowCount() throws Exception {
        recordSpinning("bench-es-sink-service-1", Duration.ofMillis(300));
        ServiceProfiles.writeWindow(profiles, "bench-es-sink-service-1", new long[] {0, 1});

        assertThat(ServiceProfiles.summarize(profiles, List.of("es-sink-service")).get("es-sink-service"))
                .containsExactly("0 samples");
    }

    /** A profile of this JVM spinning for {@code duration}, as a process named {@code name} would have written it. */
    private void recordSpinning(String name, Duration duration) throws Exception {
        try (Recording recording = new Recording()) {
            recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(1));
            recording.start();
            spin(duration);
            recording.stop();
            recording.dump(profiles.resolve(name + ".jfr"));
        }
    }

    private static long spin(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        long sum = 0;
        while (System.nanoTime() < end) {
            sum += Long.numberOfTrailingZeros(System.nanoTime());
        }
        return sum;
    }
}
