package io.streamingetl.localstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka (broker and KRaft controller in one) running in this JVM: the same broker code
 * as any Kafka 4.3 deployment, with every internal topic at replication factor 1.
 */
public final class KafkaEngine implements AutoCloseable {
    private final KafkaRaftServer server;
    private final int port;
    private final Path dataDir;
    private final boolean deleteOnClose;

    private KafkaEngine(KafkaRaftServer server, int port, Path dataDir, boolean deleteOnClose) {
        this.server = server;
        this.port = port;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
    }

    /**
     * @param port    the client port on 127.0.0.1, 0 for a free one
     * @param dataDir where the log lives (kept, so a restart keeps the topics), or null for a temporary one
     */
    public static KafkaEngine start(int port, Path dataDir) {
        try {
            boolean temporary = dataDir == null;
            Path dir = temporary ? Files.createTempDirectory("kafka-") : Files.createDirectories(dataDir);
            int clientPort = port == 0 ? FreePorts.next() : port;
            int controllerPort = FreePorts.next();
            Properties props = brokerProperties(clientPort, controllerPort, dir.resolve("log"));
            Path propsFile = dir.resolve("server.properties");
            try (Writer out = Files.newBufferedWriter(propsFile)) {
                props.store(out, "single-node KRaft broker of local-stack");
            }
            format(propsFile);
            KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
            server.startup();
            return new KafkaEngine(server, clientPort, dir, temporary);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Kafka's data directory: " + e.getMessage(), e);
        }
    }

    private static Properties brokerProperties(int clientPort, int controllerPort, Path logDir) {
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "1");
        p.put("default.replication.factor", "1");
        p.put("min.insync.replicas", "1");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        // Time-based retention is enforced every 10 s from the start instead of every 5 minutes after 30 s:
        // a topic that would lose records stamped with old event times loses them within a test, not after it.
        p.put("log.retention.check.interval.ms", "10000");
        p.put("log.initial.task.delay.ms", "1000");
        return p;
    }

    /** StorageTool's main would exit the JVM; execute() only returns its exit code. */
    private static void format(Path propsFile) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        int exit = StorageTool.execute(new String[] {"format", "--config", propsFile.toString(),
                "--cluster-id", Uuid.randomUuid().toString(), "--ignore-formatted"},
                new PrintStream(output, true, StandardCharsets.UTF_8));
        if (exit != 0) {
            throw new IllegalStateException("Formatting Kafka's storage failed: " + output.toString(StandardCharsets.UTF_8));
        }
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    public int port() {
        return port;
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
        if (deleteOnClose) {
            Directories.deleteRecursively(dataDir);
        }
    }
}
