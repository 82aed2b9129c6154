package io.streamingetl.runtime;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.streams.TopologyDescription;

/**
 * Which of a topology's declared inputs each of its internal topics is made from, read from Kafka Streams' own
 * description: the subtopology that writes a repartition topic reads the input it derives from. A dead letter of a
 * record read from a repartition topic then goes to {@code <input>.dlq}, a topic the service created, never to one
 * named after the repartition topic, which nobody creates.
 */
public final class DeclaredInputs {
    private final Map<String, String> inputOf;

    private DeclaredInputs(Map<String, String> inputOf) {
        this.inputOf = Map.copyOf(inputOf);
    }

    /** None: every topic is its own input (a test's topology driver, say). */
    public static DeclaredInputs none() {
        return new DeclaredInputs(Map.of());
    }

    /** The internal topics of {@code topology} (as named at run time, {@code <application id>-<name>}) and their inputs. */
    public static DeclaredInputs of(TopologyDescription topology, String applicationId) {
        Map<String, Set<String>> readBy = new HashMap<>();
        Set<String> internal = new HashSet<>();
        for (TopologyDescription.Subtopology subtopology : topology.subtopologies()) {
            Set<String> sources = new HashSet<>();
            Set<String> sinks = new HashSet<>();
            for (TopologyDescription.Node node : subtopology.nodes()) {
                if (node instanceof TopologyDescription.Source source && source.topicSet() != null) {
                    sources.addAll(source.topicSet());
                } else if (node instanceof TopologyDescription.Sink sink && sink.topic() != null) {
                    sinks.add(sink.topic());
                }
            }
            for (String sink : sinks) {
                readBy.computeIfAbsent(sink, s -> new HashSet<>()).addAll(sources);
            }
            internal.addAll(sources);
        }
        Map<String, String> inputOf = new HashMap<>();
        for (String topic : readBy.keySet()) {
            if (internal.contains(topic) && topic.endsWith("-repartition")) {
                String input = resolve(topic, readBy, new HashSet<>());
                if (input != null) {
                    inputOf.put(applicationId + "-" + topic, input);
                }
            }
        }
        return new DeclaredInputs(inputOf);
    }

    /** The declared input {@code topic} derives from, through any chain of repartitions; null when none is one. */
    private static String resolve(String topic, Map<String, Set<String>> readBy, Set<String> seen) {
        if (!readBy.containsKey(topic) || !topic.endsWith("-repartition")) {
            return topic;
        }
        if (!seen.add(topic)) {
            return null;
        }
        return readBy.get(topic).stream().sorted().map(source -> resolve(source, readBy, seen))
                .filter(input -> input != null).findFirst().orElse(null);
    }

    /** The declared input {@code topic} is made from: itself unless it is one of the topology's internal topics. */
    public String inputOf(String topic) {
        return inputOf.getOrDefault(topic, topic);
    }

    @Override
    public String toString() {
        return inputOf.toString();
    }
}
