package io.streamingetl.localstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;

/**
 * A real single-node Kafka (broker and KRaft controller in one) running in this JVM: the same broker code
 * as any Kafka 4.3 deployment, with every internal topic at replication factor 1. Its client listener is
 * plain text, or {@link Security#SASL_SSL} (with an authorizer): TLS (a certificate for 127.0.0.1 made at start, trusted through a
 * truststore of its own) with SCRAM-SHA-512 users, and no plain-text client listener at all (the controller's
 * listener, inside this JVM's broker, stays plain text on 127.0.0.1).
 */
public final class KafkaEngine implements AutoCloseable {
    /** How clients reach the broker. */
    public enum Security { PLAINTEXT, SASL_SSL }

    /** The SCRAM user the pipeline's clients are given on a {@link Security#SASL_SSL} broker. */
    public static final String CLIENT_USER = "pipeline";
    /** How long a leader waits for a transaction's previous markers before answering CONCURRENT_TRANSACTIONS. */
    private static final String ADD_PARTITIONS_TO_TXN_WAIT_MS = "2000";

    private final KafkaRaftServer server;
    private final int port;
    private final Path dataDir;
    private final boolean deleteOnClose;
    private final Map<String, String> clientSettings;

    private KafkaEngine(KafkaRaftServer server, int port, Path dataDir, boolean deleteOnClose,
                        Map<String, String> clientSettings) {
        this.server = server;
        this.port = port;
        this.dataDir = dataDir;
        this.deleteOnClose = deleteOnClose;
        this.clientSettings = clientSettings;
    }

    public static KafkaEngine start(int port, Path dataDir) {
        return start(port, dataDir, Security.PLAINTEXT);
    }

    /**
     * @param port    the client port on 127.0.0.1, 0 for a free one
     * @param dataDir where the log lives (kept, so a restart keeps the topics), or null for a temporary one
     */
    public static KafkaEngine start(int port, Path dataDir, Security security) {
        try {
            boolean temporary = dataDir == null;
            Path dir = temporary ? Files.createTempDirectory("kafka-") : Files.createDirectories(dataDir);
            int clientPort = port == 0 ? FreePorts.next() : port;
            int controllerPort = FreePorts.next();
            Properties props = brokerProperties(1, clientPort, "1@127.0.0.1:" + controllerPort, controllerPort,
                    dir.resolve("log"), 1);
            Map<String, String> clientSettings = new LinkedHashMap<>();
            clientSettings.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + clientPort);
            List<String> scramUsers = new ArrayList<>();
            if (security == Security.SASL_SSL) {
                String brokerPassword = UUID.randomUUID().toString();
                String clientPassword = UUID.randomUUID().toString();
                String storePassword = UUID.randomUUID().toString();
                Path truststore = makeCertificate(dir.resolve("tls"), storePassword);
                secure(props, clientPort, dir.resolve("tls"), storePassword, brokerPassword);
                scramUsers.add("SCRAM-SHA-512=[name=broker,password=" + brokerPassword + "]");
                scramUsers.add("SCRAM-SHA-512=[name=" + CLIENT_USER + ",password=" + clientPassword + "]");
                clientSettings.put("KAFKA_SECURITY_PROTOCOL", "SASL_SSL");
                clientSettings.put("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512");
                clientSettings.put("KAFKA_SASL_JAAS_CONFIG", scramJaas(CLIENT_USER, clientPassword));
                clientSettings.put("KAFKA_SSL_TRUSTSTORE_LOCATION", truststore.toString());
                clientSettings.put("KAFKA_SSL_TRUSTSTORE_PASSWORD", storePassword);
                clientSettings.put("KAFKA_SSL_TRUSTSTORE_TYPE", "PKCS12");
            }
            Path propsFile = dir.resolve("server.properties");
            try (Writer out = Files.newBufferedWriter(propsFile)) {
                props.store(out, "single-node KRaft broker of local-stack");
            }
            format(propsFile, Uuid.randomUuid().toString(), scramUsers);
            KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
            server.startup();
            return new KafkaEngine(server, clientPort, dir, temporary, Map.copyOf(clientSettings));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Kafka's data directory: " + e.getMessage(), e);
        }
    }

    /**
     * One node, broker and KRaft controller in one, of a quorum of {@code voters} ({@code id@host:port,...});
     * every topic at {@code replication} replicas, with 2 in sync required from 3 replicas on.
     */
    static Properties brokerProperties(int nodeId, int clientPort, String voters, int controllerPort, Path logDir,
                                       int replication) {
        String factor = Integer.toString(replication);
        String minInSync = replication >= 3 ? "2" : "1";
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", Integer.toString(nodeId));
        p.put("controller.quorum.voters", voters);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + clientPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + clientPort);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir.toString());
        p.put("num.partitions", "1");
        p.put("default.replication.factor", factor);
        p.put("min.insync.replicas", minInSync);
        p.put("offsets.topic.replication.factor", factor);
        p.put("offsets.topic.num.partitions", "5");
        p.put("transaction.state.log.replication.factor", factor);
        p.put("transaction.state.log.min.isr", minInSync);
        p.put("transaction.state.log.num.partitions", "5");
        p.put("share.coordinator.state.topic.replication.factor", factor);
        p.put("share.coordinator.state.topic.min.isr", minInSync);
        p.put("group.initial.rebalance.delay.ms", "0");
        p.put("auto.create.topics.enable", "true");
        p.put("log.flush.interval.messages", Long.toString(Long.MAX_VALUE));
        // Time-based retention is enforced every 10 s from the start instead of every 5 minutes after 30 s:
        // a topic that would lose records stamped with old event times loses them within a test, not after it.
        p.put("log.retention.check.interval.ms", "10000");
        p.put("log.initial.task.delay.ms", "1000");
        // Transactions v2: a transaction's first write to a partition waits at the leader while the previous
        // transaction's markers are written; past this bound (100 ms by default) the leader answers
        // CONCURRENT_TRANSACTIONS, the producer backs off 100 ms to 1 s and the batches behind it fail out of
        // sequence and are sent again. On a busy machine the markers take longer than 100 ms (KAFKA-18654).
        p.put("add.partitions.to.txn.retry.backoff.max.ms", ADD_PARTITIONS_TO_TXN_WAIT_MS);
        return p;
    }

    /** The JAAS line of a SCRAM login, as a client's {@code sasl.jaas.config}. */
    public static String scramJaas(String user, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user + "\" password=\""
                + password + "\";";
    }

    /** The client listener becomes SASL_SSL with SCRAM-SHA-512, the broker talking to itself as user {@code broker}. */
    private static void secure(Properties p, int clientPort, Path tls, String storePassword, String brokerPassword) {
        p.put("listeners", "SASL_SSL://127.0.0.1:" + clientPort + "," + p.getProperty("listeners").split(",")[1]);
        p.put("advertised.listeners", "SASL_SSL://127.0.0.1:" + clientPort);
        p.put("inter.broker.listener.name", "SASL_SSL");
        p.put("listener.security.protocol.map", "SASL_SSL:SASL_SSL,CONTROLLER:PLAINTEXT");
        p.put("sasl.enabled.mechanisms", "SCRAM-SHA-512");
        p.put("sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-512");
        p.put("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config", scramJaas("broker", brokerPassword));
        p.put("ssl.keystore.location", tls.resolve("broker.p12").toString());
        p.put("ssl.keystore.password", storePassword);
        p.put("ssl.key.password", storePassword);
        p.put("ssl.keystore.type", "PKCS12");
        p.put("ssl.truststore.location", tls.resolve("truststore.p12").toString());
        p.put("ssl.truststore.password", storePassword);
        p.put("ssl.truststore.type", "PKCS12");
        // An authorizer, as a secured cluster has: the broker and the pipeline's user are super users, anyone else may do
        // only what an ACL allows (the Kafka signal topic's, say). ANONYMOUS is the broker itself on the controller
        // listener, plain text on the loopback.
        p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
        p.put("super.users", "User:broker;User:" + CLIENT_USER + ";User:ANONYMOUS");
    }

    /**
     * A key pair and self-signed certificate for 127.0.0.1 and localhost (JDK's keytool), and a truststore holding
     * that certificate, which is what clients are given; the truststore's path.
     */
    private static Path makeCertificate(Path tls, String password) throws IOException {
        Files.createDirectories(tls);
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Path keystore = tls.resolve("broker.p12");
        Path certificate = tls.resolve("broker.pem");
        Path truststore = tls.resolve("truststore.p12");
        run(keytool, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-validity", "3650",
                "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12",
                "-keystore", keystore.toString(), "-storepass", password, "-keypass", password);
        run(keytool, "-exportcert", "-rfc", "-alias", "broker", "-keystore", keystore.toString(), "-storepass", password,
                "-file", certificate.toString());
        run(keytool, "-importcert", "-noprompt", "-alias", "broker", "-file", certificate.toString(), "-storetype", "PKCS12",
                "-keystore", truststore.toString(), "-storepass", password);
        return truststore;
    }

    private static void run(String... command) throws IOException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (process.waitFor() != 0) {
                throw new IOException(command[1] + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("Interrupted: " + command[1], e);
        }
    }

    /** StorageTool's main would exit the JVM; execute() only returns its exit code. SCRAM users are created here. */
    static void format(Path propsFile, String clusterId, List<String> scramUsers) {
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("format", "--config", propsFile.toString(),
                "--cluster-id", clusterId, "--ignore-formatted"));
        scramUsers.forEach(user -> args.addAll(List.of("--add-scram", user)));
        int exit = StorageTool.execute(args.toArray(String[]::new),
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

    /** The {@code KAFKA_*} settings a client of this broker needs: its bootstrap servers, and its security if any. */
    public Map<String, String> clientSettings() {
        return clientSettings;
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
