package io.streamingetl.testkit.junit;

import io.streamingetl.localstack.Engines;
import io.streamingetl.testkit.ContainerEngines;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test {@link Engines} in containers where Docker runs, and skips it with the reason where it does
 * not: every such test class has a twin on {@link EmbeddedEnginesExtension} with the same scenarios.
 */
public final class ContainerEnginesExtension implements ExecutionCondition, ParameterResolver {
    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return ContainerEngines.dockerAvailable()
                ? ConditionEvaluationResult.enabled("Docker is available: running on Testcontainers engines")
                : ConditionEvaluationResult.disabled("Docker is not available here, so the Testcontainers run of "
                + "these scenarios is skipped; the same scenarios ran on the embedded engines");
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Engines.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(ContainerEngines.class, k -> new SharedEngines(new ContainerEngines()),
                        SharedEngines.class)
                .engines();
    }
}
