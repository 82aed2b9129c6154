package io.streamingetl.testkit.junit;

import io.streamingetl.localstack.EmbeddedEngines;
import io.streamingetl.localstack.Engines;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test {@link Engines} running in this JVM: one set for the whole test run (each engine starts on
 * first use), closed when the run ends.
 */
public final class EmbeddedEnginesExtension implements ParameterResolver {
    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Engines.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(EmbeddedEngines.class, k -> new SharedEngines(EmbeddedEngines.onFreePorts()),
                        SharedEngines.class)
                .engines();
    }
}
