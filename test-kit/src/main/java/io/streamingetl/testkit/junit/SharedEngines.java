package io.streamingetl.testkit.junit;

import io.streamingetl.localstack.Engines;
import org.junit.jupiter.api.extension.ExtensionContext;

/** Engines kept in JUnit's root store, so they are closed once, when the whole test run ends. */
record SharedEngines(Engines engines) implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
        engines.close();
    }
}
