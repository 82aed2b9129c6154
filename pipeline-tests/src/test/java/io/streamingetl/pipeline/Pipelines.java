package io.streamingetl.pipeline;

import io.streamingetl.harness.LocalPipeline;
import io.streamingetl.harness.PipelineNames;
import io.streamingetl.localstack.Engines;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The whole pipeline as the tests start it, on the test run's engines (test-kit's engines extensions): the five
 * services as processes from their jars, each pipeline under names of its own ({@link PipelineNames}: topics, groups,
 * database, collections, index), so pipelines of several scenarios meet neither each other nor the engines' restarts.
 * <ul>
 * <li>{@link #own}: a scenario's own pipeline, for one that kills, pauses, restarts, resets or reconfigures a service,
 * or whose assertions cover a whole topic or the whole index; the scenario closes it.
 * <li>{@link #sharedTutorial}: one pipeline per engines for the whole run, the tutorial's data loaded and indexed,
 * for scenarios that only add data and read results: each adds data on keys of its own (never the tutorial's), reads
 * what concerns those keys (or the tutorial's, unchanged), and never stops, pauses, resets or reconfigures it.
 * </ul>
 * A test class gets this with {@code @ExtendWith(Pipelines.class)} and a constructor parameter; the run closes the
 * shared pipelines when it ends.
 */
final class Pipelines implements ParameterResolver {
    private static final AtomicInteger OWN = new AtomicInteger();

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == Pipelines.Shared.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        return context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Shared.class, k -> new Shared(), Shared.class);
    }

    /** Options for a pipeline of 3 partitions per topic, one instance of each service, on any free ports. */
    static LocalPipeline.Options options(String scenario) {
        return options(scenario, 3, 1, Map.of());
    }

    static LocalPipeline.Options options(String scenario, int partitions, int instances, Map<String, String> environment) {
        try {
            return new LocalPipeline.Options(LocalPipeline.repositoryRoot(), Files.createTempDirectory(scenario), 0, partitions,
                    instances, environment);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A scenario's own pipeline on {@code engines}, under names no other pipeline of this run has; the scenario closes it. */
    static LocalPipeline own(Engines engines, LocalPipeline.Options options) throws InterruptedException {
        return LocalPipeline.startOnSharedEngines(engines, options.named(PipelineNames.prefixed("p" + OWN.incrementAndGet())));
    }

    /** The run's shared pipelines, one per engines; closed when the run ends. */
    static final class Shared implements AutoCloseable {
        private final Map<String, Started> tutorials = new ConcurrentHashMap<>();

        /** A pipeline started on first use; classes running side by side wait for the same one. */
        private static final class Started {
            private LocalPipeline pipeline;

            synchronized LocalPipeline get(Engines engines, PipelineNames names) {
                if (pipeline == null) {
                    try {
                        pipeline = LocalPipeline.startOnSharedEngines(engines, options("shared-tutorial").named(names));
                        pipeline.seedTutorial();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
                return pipeline;
            }

            synchronized void close() {
                if (pipeline != null) {
                    pipeline.close();
                }
            }
        }

        /**
         * The pipeline on {@code engines} holding the tutorial, its documents indexed: started and loaded on first use.
         * On the run's engines themselves it has the contract's names (the demo's topics, index and database), which no
         * other pipeline takes; on a view of them with another search engine ({@code embedded-opensearch}), names of
         * its own.
         */
        LocalPipeline sharedTutorial(Engines engines) {
            String kind = engines.kind();
            PipelineNames names = kind.contains("-") ? PipelineNames.prefixed(kind.replaceAll("[^a-z0-9]", "")) : PipelineNames.CONTRACT;
            return tutorials.computeIfAbsent(kind, k -> new Started()).get(engines, names);
        }

        @Override
        public void close() {
            tutorials.values().forEach(Started::close);
            tutorials.clear();
        }
    }
}
