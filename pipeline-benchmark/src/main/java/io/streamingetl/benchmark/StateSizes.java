package io.streamingetl.benchmark;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;

/** What a Streams application's state takes: its state directory on disk, its changelog topics on the brokers. */
final class StateSizes {
    private StateSizes() {
    }

    /** The bytes of the files under {@code directory}, 0 if there is none; files RocksDB removes meanwhile are skipped. */
    static long onDisk(Path directory) {
        if (directory == null || !Files.isDirectory(directory)) {
            return 0;
        }
        long[] bytes = {0};
        try {
            Files.walkFileTree(directory, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    bytes[0] += attributes.isRegularFile() ? attributes.size() : 0;
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            // What was counted so far.
        }
        return bytes[0];
    }

    /** The bytes of {@code application}'s changelog topics on every broker: what a lost instance restores without a standby. */
    static long changelogs(String bootstrapServers, String application) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            List<Integer> brokers = admin.describeCluster().nodes().get(1, TimeUnit.MINUTES).stream().map(node -> node.id()).toList();
            long bytes = 0;
            for (var dirs : admin.describeLogDirs(brokers).allDescriptions().get(1, TimeUnit.MINUTES).values()) {
                for (var dir : dirs.values()) {
                    for (var replica : dir.replicaInfos().entrySet()) {
                        String topic = replica.getKey().topic();
                        if (topic.startsWith(application + "-") && topic.endsWith("-changelog")) {
                            bytes += replica.getValue().size();
                        }
                    }
                }
            }
            return bytes;
        }
    }
}
