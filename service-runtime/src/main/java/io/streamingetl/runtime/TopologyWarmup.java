package io.streamingetl.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.TopologyTestDriver;

/**
 * A Kafka Streams service's {@link Warmup}: a copy of its topology in Kafka Streams' own test driver (the same
 * processors, serdes, stores and task code, with no broker), fed records of the service's kind, its state in a
 * directory of its own that is deleted after. What the driver's topics produce is read and dropped as it goes.
 */
public final class TopologyWarmup {
    /** Given the driver, the service's round: pipes one record of each input in, reads what came out. */
    private final Function<TopologyTestDriver, Warmup.Round> feeder;
    private final Supplier<Topology> topology;

    public TopologyWarmup(Supplier<Topology> topology, Function<TopologyTestDriver, Warmup.Round> feeder) {
        this.topology = topology;
        this.feeder = feeder;
    }

    /** Runs up to {@code records} rounds in the driver; how many ran. */
    public int run(String service, int records, Health health, Properties serviceProperties) {
        if (records == 0) {
            return 0;
        }
        Path state;
        try {
            state = Files.createTempDirectory(service + "-warm-up");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Properties properties = new Properties();
        properties.putAll(serviceProperties);
        properties.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        properties.put(StreamsConfig.APPLICATION_ID_CONFIG, serviceProperties.get(StreamsConfig.APPLICATION_ID_CONFIG) + "-warm-up");
        // The driver's mock producer holds a transaction open for the handlers' dead letters; there are none here.
        properties.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        try (TopologyTestDriver driver = new TopologyTestDriver(topology.get(), properties)) {
            return Warmup.run(service, records, health, feeder.apply(driver));
        } finally {
            deleteQuietly(state);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory: the system cleans it up in the end
        }
    }
}
