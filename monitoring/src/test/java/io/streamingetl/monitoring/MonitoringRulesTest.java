package io.streamingetl.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * The alert rules of monitoring/ pass Prometheus's own checks and unit tests ({@code promtool}), and the
 * PrometheusRule and dashboard ConfigMap deployed to Kubernetes hold the very same rules and dashboard. promtool comes from PATH or, where there is
 * none, from Debian's prometheus package, downloaded and unpacked into target/ (nothing is installed); where
 * neither works the promtool tests are skipped, saying so in one line.
 */
class MonitoringRulesTest {
    /** The repository: this module's parent (tests run in the module's directory). */
    private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
    private static Path promtool;
    private static String unavailable;

    @BeforeAll
    static void findPromtool() throws Exception {
        Path onPath = Path.of("/usr/bin/promtool");
        if (Files.isExecutable(onPath)) {
            promtool = onPath;
            return;
        }
        Path dir = Path.of("target", "promtool").toAbsolutePath();
        Path unpacked = dir.resolve("usr/bin/promtool");
        if (!Files.isExecutable(unpacked)) {
            Files.createDirectories(dir);
            Result download = run(dir, List.of("sh", "-c",
                    "apt-get download prometheus && dpkg-deb --fsys-tarfile prometheus_*.deb | tar -x ./usr/bin/promtool"));
            if (download.exitCode() != 0 || !Files.isExecutable(unpacked)) {
                unavailable = "promtool is not on this machine and Debian's prometheus package could not be fetched "
                        + "(apt-get download prometheus: " + download.output().strip().lines().reduce((a, b) -> b).orElse("")
                        + "): the alert rules' promtool checks are skipped";
                return;
            }
        }
        promtool = unpacked;
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(Path dir, List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(120, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            return new Result(-1, output + "\n(timed out)");
        }
        return new Result(process.exitValue(), output);
    }

    private static Result promtool(String... args) throws Exception {
        Assumptions.assumeTrue(promtool != null, () -> unavailable);
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        return run(ROOT.resolve("monitoring"), command);
    }

    @Test
    void theAlertRulesAreValid() throws Exception {
        Result check = promtool("check", "rules", "alerts.yml");

        assertThat(check.exitCode()).as(check.output()).isZero();
        assertThat(check.output()).contains("SUCCESS: 15 rules found");
    }

    @Test
    void eachAlertFiresOnTheSeriesThatShouldFireItAndNotBefore() throws Exception {
        Result test = promtool("test", "rules", "alerts.test.yml");

        assertThat(test.exitCode()).as(test.output()).isZero();
        assertThat(test.output()).contains("SUCCESS");
    }

    @Test
    @SuppressWarnings("unchecked")
    void theDashboardDeployedToKubernetesIsTheSameJson() throws IOException {
        Map<String, Object> resource = new Yaml().load(Files.readString(ROOT.resolve("k8s/monitoring/grafana-dashboard.yaml")));

        assertThat(((Map<String, Object>) resource.get("metadata")).get("labels")).isEqualTo(
                Map.of("app.kubernetes.io/part-of", "streaming-etl", "grafana_dashboard", "1"));
        assertThat(((Map<String, Object>) resource.get("data")).get("streaming-etl.json"))
                .isEqualTo(Files.readString(ROOT.resolve("monitoring/dashboard.json")));
    }

    @Test
    @SuppressWarnings("unchecked")
    void thePrometheusRuleDeployedToKubernetesHoldsTheSameRules() throws IOException {
        Map<String, Object> rules = new Yaml().load(Files.readString(ROOT.resolve("monitoring/alerts.yml")));
        Map<String, Object> resource = new Yaml().load(Files.readString(ROOT.resolve("k8s/monitoring/prometheus-rule.yaml")));

        assertThat(resource.get("kind")).isEqualTo("PrometheusRule");
        assertThat(((Map<String, Object>) resource.get("spec")).get("groups")).isEqualTo(rules.get("groups"));
    }
}
