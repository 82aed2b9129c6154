package io.streamingetl.testkit.junit;

import io.streamingetl.localstack.Engines;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Gives a test's constructor its {@link Engines}: one set of a kind for the whole test run (each engine starts
 * on first use), kept in JUnit's root store so it is closed once, when the run ends.
 */
abstract class EnginesResolver implements ParameterResolver {
    private final Class<? extends Engines> kind;
    private final Supplier<Engines> create;
    private final UnaryOperator<Engines> view;

    EnginesResolver(Class<? extends Engines> kind, Supplier<Engines> create) {
        this(kind, create, UnaryOperator.identity());
    }

    /** The shared engines of {@code kind}, seen through {@code view} (the same engines with another search engine). */
    EnginesResolver(Class<? extends Engines> kind, Supplier<Engines> create, UnaryOperator<Engines> view) {
        this.kind = kind;
        this.create = create;
        this.view = view;
    }

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Engines.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return view.apply(context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(kind, k -> new Shared(create.get()), Shared.class)
                .engines());
    }

    /** AutoCloseable, which JUnit closes at the end of the run. */
    private record Shared(Engines engines) implements AutoCloseable {
        @Override
        public void close() {
            engines.close();
        }
    }
}
