package io.streamingetl.testkit.junit;

import io.streamingetl.localstack.Engines;
import io.streamingetl.testkit.ContainerEngines;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Gives a test {@link Engines} in containers where Docker runs, and skips it with the reason where it does
 * not: every such test class has a twin on {@link EmbeddedEnginesExtension} with the same scenarios.
 */
public final class ContainerEnginesExtension extends EnginesResolver implements ExecutionCondition {
    public ContainerEnginesExtension() {
        super(ContainerEngines.class, ContainerEngines::new);
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return ContainerEngines.dockerAvailable()
                ? ConditionEvaluationResult.enabled("Docker is available: running on Testcontainers engines")
                : ConditionEvaluationResult.disabled("Docker is not available here, so the Testcontainers run of "
                + "these scenarios is skipped; the same scenarios ran on the embedded engines");
    }
}
