package io.streamingetl.cdc;

import io.debezium.config.CommonConnectorConfig;
import io.debezium.pipeline.signal.SignalRecord;
import io.debezium.pipeline.signal.channels.SignalChannelReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Debezium's signal channel {@value #NAME} (loaded by its service loader, enabled by {@code signal.enabled.channels}):
 * the signals the operator asked for through the service's token-guarded {@code POST /snapshot}, handed to the
 * connector of the same logical name ({@code topic.prefix}) in this process. Nothing outside the process can write to
 * it, unlike the Kafka signal topic ({@link KafkaSignals}, off by default). Debezium's own in-process channel is reached
 * through the engine that runs now; this one keeps a signal asked for while the engine restarts or is paused until
 * the next engine reads it.
 */
public final class OperatorSignals implements SignalChannelReader {
    static final String NAME = "pipeline-operator";
    private static final Map<String, Queue<SignalRecord>> BY_LOGICAL_NAME = new ConcurrentHashMap<>();

    private Queue<SignalRecord> signals;

    /** Hands {@code type} with its JSON {@code data} to the connector named {@code logicalName}, at its next signal check. */
    static void send(String logicalName, String id, String type, String data) {
        queue(logicalName).add(new SignalRecord(id, type, data, Map.of()));
    }

    private static Queue<SignalRecord> queue(String logicalName) {
        return BY_LOGICAL_NAME.computeIfAbsent(logicalName, name -> new ConcurrentLinkedQueue<>());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void init(CommonConnectorConfig config) {
        signals = queue(config.getLogicalName());
    }

    @Override
    public List<SignalRecord> read() {
        List<SignalRecord> read = new ArrayList<>();
        for (SignalRecord signal = signals == null ? null : signals.poll(); signal != null; signal = signals.poll()) {
            read.add(signal);
        }
        return read;
    }

    @Override
    public void close() {
        // The queue outlives this engine: a signal sent meanwhile is the next engine's.
    }
}
