package io.streamingetl.benchmark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * What each service spent its CPU on, from the JFR profiles its processes recorded ({@code BENCHMARK_PROFILE=true}):
 * the methods most often on top of a sampled stack, and the project's own methods most often anywhere on it, each
 * as a share of that service's samples (all its runs together). JFR samples threads running Java and, apart,
 * threads in a native method: the latter count where that method works (RocksDB's, marked native) rather than
 * waits (a poll, a park). Native threads of their own (RocksDB's compactions) and the JIT are not sampled. Where a
 * recording has a window beside it ({@link #writeWindow}), only the samples within count: the part of the run its
 * CPU per record is taken over, start-up left out.
 */
final class ServiceProfiles {
    /** Frames said per service: the top of a profile is where the CPU goes; its tail is noise at 10 ms samples. */
    static final int TOP = 8;
    private static final String OWN_CODE = "io.streamingetl.";
    private static final List<String> SAMPLES = List.of("jdk.ExecutionSample", "jdk.NativeMethodSample");
    /** Native methods a thread waits in rather than works. */
    private static final List<String> WAITING = List.of("sun.nio.ch.", "java.lang.Object.wait", "java.lang.Thread.sleep",
            "jdk.internal.misc.Unsafe.park", "java.io.FileInputStream.read", "java.lang.ProcessHandleImpl.waitForProcessExit");

    private ServiceProfiles() {
    }

    /** The services' names, each with its top self frames and its own code's hottest methods, as lines. */
    static Map<String, List<String>> summarize(Path directory, List<String> services) throws IOException {
        Map<String, List<String>> summary = new LinkedHashMap<>();
        for (String service : services) {
            List<Path> recordings;
            try (Stream<Path> files = Files.list(directory)) {
                recordings = files.filter(f -> f.getFileName().toString().contains(service) && f.toString().endsWith(".jfr"))
                        .sorted().toList();
            }
            if (!recordings.isEmpty()) {
                summary.put(service, summarize(recordings));
            }
        }
        return summary;
    }

    /** The wall-clock window (epoch ms, from and to) of the run recorded as {@code <name>.jfr}. */
    static void writeWindow(Path directory, String name, long[] window) throws IOException {
        Files.writeString(directory.resolve(name + ".window"), window[0] + " " + window[1]);
    }

    private static long[] windowOf(Path recording) throws IOException {
        Path window = recording.resolveSibling(recording.getFileName().toString().replace(".jfr", ".window"));
        if (!Files.exists(window)) {
            return new long[] {Long.MIN_VALUE, Long.MAX_VALUE};
        }
        String[] bounds = Files.readString(window).trim().split(" ");
        return new long[] {Long.parseLong(bounds[0]), Long.parseLong(bounds[1])};
    }

    private static List<String> summarize(List<Path> recordings) throws IOException {
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> ownInclusive = new HashMap<>();
        int samples = 0;
        for (Path recording : recordings) {
            long[] window = windowOf(recording);
            for (var event : RecordingFile.readAllEvents(recording)) {
                long at = event.getStartTime().toEpochMilli();
                if (at < window[0] || at > window[1]) {
                    continue;
                }
                RecordedStackTrace stack = event.getStackTrace();
                String type = event.getEventType().getName();
                if (!SAMPLES.contains(type) || stack == null || stack.getFrames().isEmpty()) {
                    continue;
                }
                List<RecordedFrame> frames = stack.getFrames();
                String top = method(frames.get(0));
                boolean nativeWork = type.equals("jdk.NativeMethodSample");
                if (nativeWork && WAITING.stream().anyMatch(top::startsWith)) {
                    continue;
                }
                samples++;
                self.merge(nativeWork ? top + " (native)" : top, 1, Integer::sum);
                frames.stream().map(ServiceProfiles::method).filter(m -> m.startsWith(OWN_CODE)).distinct()
                        .forEach(m -> ownInclusive.merge(m, 1, Integer::sum));
            }
        }
        List<String> lines = new ArrayList<>();
        lines.add(samples + " samples");
        int total = samples;
        top(self).forEach(e -> lines.add(String.format("self %4.1f%% %s", 100.0 * e.getValue() / total, e.getKey())));
        top(ownInclusive).forEach(e -> lines.add(String.format("within %4.1f%% %s", 100.0 * e.getValue() / total, e.getKey())));
        return lines;
    }

    private static List<Map.Entry<String, Integer>> top(Map<String, Integer> counts) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue(Comparator.reverseOrder()))
                .limit(TOP).toList();
    }

    private static String method(RecordedFrame frame) {
        return frame.getMethod().getType().getName() + "." + frame.getMethod().getName();
    }
}
