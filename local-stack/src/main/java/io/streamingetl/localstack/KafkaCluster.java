package io.streamingetl.localstack;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.Uuid;

/**
 * A real Kafka cluster of several nodes on this machine, each broker and KRaft controller in one and each a
 * process of its own (the broker code of any Kafka 4.3 deployment, started from this JVM's class path), so
 * one can be killed as a machine fails while the others go on. Every topic, internal ones included, has one
 * replica per node, and from three nodes on two of them must be in sync for a write to be acknowledged.
 */
public final class KafkaCluster implements AutoCloseable {
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(2);

    /** One node: its id, its client port, its files, and its process while it runs. */
    private static final class BrokerNode {
        final int id;
        final int clientPort;
        final Path propertiesFile;
        final Path log;
        Process process;

        BrokerNode(int id, int clientPort, Path propertiesFile, Path log) {
            this.id = id;
            this.clientPort = clientPort;
            this.propertiesFile = propertiesFile;
            this.log = log;
        }
    }

    private final List<BrokerNode> nodes;
    private final Path dataDir;
    private final boolean deleteOnClose;

    private KafkaCluster(List<BrokerNode> nodes, Path dataDir, boolean deleteOnClose) {
        this.nodes = nodes;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
    }

    /**
     * Formats and starts {@code size} nodes on free ports, and returns once every one is a registered broker.
     *
     * @param dataDir where the nodes' logs live, or null for a temporary directory
     */
    public static KafkaCluster start(int size, Path dataDir) {
        try {
            boolean temporary = dataDir == null;
            Path dir = temporary ? Files.createTempDirectory("kafka-cluster-") : Files.createDirectories(dataDir);
            List<Integer> controllerPorts = new ArrayList<>();
            StringBuilder voters = new StringBuilder();
            for (int id = 1; id <= size; id++) {
                controllerPorts.add(FreePorts.next());
                voters.append(id == 1 ? "" : ",").append(id).append("@127.0.0.1:").append(controllerPorts.get(id - 1));
            }
            String clusterId = Uuid.randomUuid().toString();
            List<BrokerNode> nodes = new ArrayList<>();
            for (int id = 1; id <= size; id++) {
                Path nodeDir = Files.createDirectories(dir.resolve("node-" + id));
                int clientPort = FreePorts.next();
                Properties props = KafkaEngine.brokerProperties(id, clientPort, voters.toString(), controllerPorts.get(id - 1),
                        nodeDir.resolve("log"), size);
                Path propertiesFile = nodeDir.resolve("server.properties");
                try (Writer out = Files.newBufferedWriter(propertiesFile)) {
                    props.store(out, "node " + id + " of a " + size + "-node KRaft cluster of local-stack");
                }
                KafkaEngine.format(propertiesFile, clusterId, List.of());
                nodes.add(new BrokerNode(id, clientPort, propertiesFile, dir.resolve("broker-" + id + ".log")));
            }
            KafkaCluster cluster = new KafkaCluster(nodes, dir, temporary);
            try {
                nodes.forEach(cluster::launch);
                cluster.awaitBrokers(size);
            } catch (RuntimeException e) {
                cluster.close();
                throw e;
            }
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the Kafka cluster's data directory: " + e.getMessage(), e);
        }
    }

    private void launch(BrokerNode node) {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), "kafka.Kafka",
                node.propertiesFile.toString())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(node.log.toFile()));
        try {
            node.process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start Kafka node " + node.id + ": " + e.getMessage(), e);
        }
        ChildProcesses.stopWhenThisJvmExits(node.process.pid(), "KILL");
    }

    public String bootstrapServers() {
        return nodes.stream().map(n -> "127.0.0.1:" + n.clientPort).collect(Collectors.joining(","));
    }

    public Map<String, String> clientSettings() {
        return Map.of("KAFKA_BOOTSTRAP_SERVERS", bootstrapServers());
    }

    public int size() {
        return nodes.size();
    }

    /** The id of the broker leading {@code topic}'s {@code partition} now. */
    public int leaderOf(String topic, int partition) {
        try (Admin admin = admin()) {
            TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
            Node leader = description.partitions().get(partition).leader();
            if (leader == null) {
                throw new IllegalStateException(topic + "-" + partition + " has no leader");
            }
            return leader.id();
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot describe " + topic + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** SIGKILL: the node stops as a machine fails, with no controlled shutdown and nothing flushed. */
    public void kill(int nodeId) throws InterruptedException {
        Process process = node(nodeId).process;
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Kafka node " + nodeId + " did not die");
        }
    }

    /** Starts a node stopped by {@link #kill} again on its data, and returns once it is a registered broker again. */
    public void restart(int nodeId) {
        BrokerNode node = node(nodeId);
        if (node.process.isAlive()) {
            throw new IllegalStateException("Kafka node " + nodeId + " is running");
        }
        launch(node);
        awaitBrokers(nodes.size());
    }

    /** Waits until every replica of every partition of {@code topics} is in sync again: the cluster is whole. */
    public void awaitInSync(Set<String> topics, Duration timeout) throws InterruptedException {
        try (Admin admin = admin()) {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<String> lagging = outOfSync(admin, topics);
            while (!lagging.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(500);
                lagging = outOfSync(admin, topics);
            }
            if (!lagging.isEmpty()) {
                throw new IllegalStateException("Replicas not in sync after " + timeout.toSeconds() + " s: " + lagging);
            }
        }
    }

    private static List<String> outOfSync(Admin admin, Set<String> topics) {
        try {
            List<String> lagging = new ArrayList<>();
            for (TopicDescription topic : admin.describeTopics(topics).allTopicNames().get().values()) {
                for (TopicPartitionInfo partition : topic.partitions()) {
                    if (partition.isr().size() < partition.replicas().size()) {
                        lagging.add(topic.name() + "-" + partition.partition());
                    }
                }
            }
            return lagging;
        } catch (ExecutionException e) {
            return List.of("(cannot describe: " + e.getCause() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return List.of("(interrupted)");
        }
    }

    private void awaitBrokers(int count) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        try (Admin admin = admin()) {
            while (true) {
                for (BrokerNode node : nodes) {
                    if (node.process != null && !node.process.isAlive()) {
                        throw new IllegalStateException("Kafka node " + node.id + " exited with code "
                                + node.process.exitValue() + "; its log ends:\n" + LogFiles.tail(node.log, 20));
                    }
                }
                try {
                    if (admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size() >= count) {
                        return;
                    }
                } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                    // not answering yet
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The Kafka cluster has not " + count + " brokers after "
                            + READY_TIMEOUT.toSeconds() + " s; logs in " + dataDir);
                }
                Thread.sleep(250);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000, AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000));
    }

    private BrokerNode node(int nodeId) {
        return nodes.stream().filter(n -> n.id == nodeId).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("No Kafka node " + nodeId));
    }

    /**
     * Stops every node (SIGTERM; a node still waiting for a quorum that left before it is killed after 10 s) and
     * deletes a temporary data directory.
     */
    @Override
    public void close() {
        for (BrokerNode node : nodes) {
            if (node.process != null) {
                node.process.destroy();
            }
        }
        for (BrokerNode node : nodes) {
            try {
                if (node.process != null && !node.process.waitFor(10, TimeUnit.SECONDS)) {
                    node.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (deleteOnClose) {
            Directories.deleteRecursively(dataDir);
        }
    }
}
