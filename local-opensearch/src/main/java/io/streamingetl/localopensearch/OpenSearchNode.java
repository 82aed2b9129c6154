package io.streamingetl.localopensearch;

import static org.codelibs.opensearch.runner.OpenSearchRunner.newConfigs;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * One OpenSearch node on 127.0.0.1, single-node discovery, until the process is stopped:
 * {@code OpenSearchNode <http port> <transport port> <home> [setting=value ...]}. Prints {@code READY} once the
 * cluster is yellow.
 */
public final class OpenSearchNode {
    private OpenSearchNode() {
    }

    public static void main(String[] args) throws Exception {
        int httpPort = Integer.parseInt(args[0]);
        int transportPort = Integer.parseInt(args[1]);
        OpenSearchRunner runner = new OpenSearchRunner();
        runner.onBuild((number, settings) -> {
            settings.put("http.port", httpPort);
            settings.put("transport.port", transportPort);
            settings.put("network.host", "127.0.0.1");
            settings.put("discovery.type", "single-node");
            // The runner makes nodes master and data only; a single node must run ingest pipelines too.
            settings.putList("node.roles", "cluster_manager", "data", "ingest");
            settings.put("cluster.routing.allocation.disk.threshold_enabled", false);
            settings.put("action.auto_create_index", true);
            for (int i = 3; i < args.length; i++) {
                String[] setting = args[i].split("=", 2);
                settings.put(setting[0], setting[1]);
            }
        }).build(newConfigs().clusterName("local-stack").numOfNode(1).basePath(args[2]).useLogger());
        runner.ensureYellow();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (IOException e) {
                // stopping anyway
            }
            stopped.countDown();
        }));
        System.out.println("READY");
        System.out.flush();
        stopped.await();
    }
}
