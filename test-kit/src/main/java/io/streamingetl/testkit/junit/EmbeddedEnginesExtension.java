package io.streamingetl.testkit.junit;

import io.streamingetl.localstack.EmbeddedEngines;

/** Gives a test the engines running in this JVM, no Docker needed. */
public final class EmbeddedEnginesExtension extends EnginesResolver {
    public EmbeddedEnginesExtension() {
        super(EmbeddedEngines.class, EmbeddedEngines::onFreePorts);
    }
}
