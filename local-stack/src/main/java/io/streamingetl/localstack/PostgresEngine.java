package io.streamingetl.localstack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A real PostgreSQL 17 server (zonky's embedded binaries for linux-amd64), started with logical decoding
 * on, as Debezium's pgoutput plugin needs. The server runs as a daemon of its own, so a watcher stops it
 * when this JVM exits in any way, {@code kill -9} included: it never outlives the tests or the demo.
 */
public final class PostgresEngine implements AutoCloseable {
    public static final String SUPERUSER = "postgres";

    private final EmbeddedPostgres postgres;

    private PostgresEngine(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    /**
     * @param port    on 127.0.0.1, 0 for a free one
     * @param dataDir kept across restarts, or null for a temporary one cleaned on close
     */
    public static PostgresEngine start(int port, Path dataDir) {
        try {
            EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                    .setPort(port == 0 ? FreePorts.next() : port)
                    .setServerConfig("listen_addresses", "127.0.0.1")
                    .setServerConfig("wal_level", "logical")
                    // Room for the pipelines of tests running side by side, one slot each (the demo needs one).
                    .setServerConfig("max_replication_slots", "20")
                    .setServerConfig("max_wal_senders", "20")
                    .setServerConfig("wal_sender_timeout", "60s");
            boolean temporary = dataDir == null;
            Path dir = temporary ? Files.createTempDirectory("postgres-") : Files.createDirectories(dataDir);
            builder.setDataDirectory(dir).setCleanDataDirectory(temporary);
            EmbeddedPostgres postgres = builder.start();
            stopWhenThisJvmExits(dir);
            return new PostgresEngine(postgres);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot start the embedded Postgres: " + e.getMessage(), e);
        }
    }

    /** Postgres' immediate shutdown (SIGQUIT) once this JVM has gone, {@code kill -9} included. */
    private static void stopWhenThisJvmExits(Path dataDir) throws IOException {
        long postmaster = Long.parseLong(Files.readAllLines(dataDir.resolve("postmaster.pid")).get(0).trim());
        ChildProcesses.stopWhenThisJvmExits(postmaster, "QUIT");
    }

    public int port() {
        return postgres.getPort();
    }

    public PostgresEndpoint endpoint() {
        return new PostgresEndpoint("127.0.0.1", port(), SUPERUSER, "");
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
