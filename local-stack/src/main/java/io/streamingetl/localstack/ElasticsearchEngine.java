package io.streamingetl.localstack;

import static org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner.newConfigs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.codelibs.elasticsearch.runner.ElasticsearchClusterRunner;

/**
 * A real Elasticsearch 7.10.2 node in this JVM (codelibs' cluster runner embeds the node with its modules):
 * REST on 127.0.0.1, single-node discovery. It can be stopped and started again on the same port and data,
 * to test what clients do while it is away.
 */
public final class ElasticsearchEngine implements SearchNode {
    /** Nodes of one JVM start one at a time: tests side by side may each start one, and a node's start sets JVM-wide state. */
    private static final Object STARTING = new Object();
    private final ElasticsearchClusterRunner runner;
    private final int httpPort;
    private final Path home;
    private final boolean deleteOnClose;

    private ElasticsearchEngine(ElasticsearchClusterRunner runner, int httpPort, Path home, boolean deleteOnClose) {
        this.runner = runner;
        this.httpPort = httpPort;
        this.home = home;
        this.deleteOnClose = deleteOnClose;
    }

    /**
     * @param httpPort on 127.0.0.1, 0 for a free one
     * @param home     the node's home (data kept across restarts), or null for a temporary one
     */
    public static ElasticsearchEngine start(int httpPort, Path home, Map<String, String> extraSettings) {
        try {
            boolean temporary = home == null;
            Path dir = temporary ? Files.createTempDirectory("elasticsearch-") : Files.createDirectories(home);
            int port = httpPort == 0 ? FreePorts.next() : httpPort;
            int transportPort = FreePorts.next();
            // Netty's processor count is set once per JVM; the MongoDB stand-in's Netty may have set it first.
            System.setProperty("es.set.netty.runtime.available.processors", "false");
            ElasticsearchClusterRunner runner = new ElasticsearchClusterRunner();
            synchronized (STARTING) {
                runner.onBuild((number, settings) -> {
                    settings.put("http.port", port);
                    settings.put("transport.port", transportPort);
                    settings.put("network.host", "127.0.0.1");
                    settings.put("discovery.type", "single-node");
                    // The runner makes nodes master and data only; a single node must run ingest pipelines too.
                    settings.putList("node.roles", "master", "data", "ingest");
                    settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
                    settings.put("action.auto_create_index", true);
                    extraSettings.forEach(settings::put);
                }).build(newConfigs().clusterName("local-stack").numOfNode(1).basePath(dir.toString()).disableESLogger()
                        .useLogger());
                runner.ensureYellow();
            }
            return new ElasticsearchEngine(runner, port, dir, temporary);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare Elasticsearch's home: " + e.getMessage(), e);
        }
    }

    @Override
    public String url() {
        return "http://127.0.0.1:" + httpPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** Stops the node, keeping its data and port: clients see connection refused until {@link #restart()}. */
    @Override
    public void stop() {
        try {
            runner.getNode(0).close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void restart() {
        synchronized (STARTING) {
            if (!runner.startNode(0)) {
                throw new IllegalStateException("Elasticsearch node did not start again");
            }
            runner.ensureYellow();
        }
    }

    @Override
    public void close() {
        try {
            if (!runner.isClosed()) {
                runner.close();
            }
        } catch (IOException e) {
            // a node that was already stopped reports it; nothing else to release
        }
        if (deleteOnClose) {
            Directories.deleteRecursively(home);
        }
    }
}
