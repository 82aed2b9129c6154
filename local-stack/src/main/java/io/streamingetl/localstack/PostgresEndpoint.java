package io.streamingetl.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Where a Postgres server listens and how to administer it, whichever engine runs it. */
public record PostgresEndpoint(String host, int port, String adminUser, String adminPassword) {
    /** Roles are the server's, not a database's: pipelines set up side by side in one JVM (the tests) create them one at a time. */
    private static final Object ROLES = new Object();

    /** customers-cdc's login: REPLICATION and LOGIN, reading the captured and the signal table, writing only the signal table. */
    public static final String CAPTURE_ROLE = "customers_cdc";

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), adminUser, adminPassword);
    }

    /**
     * The contract's database and user: {@code user} (the application's login, no superuser) owns {@code database}.
     * Idempotent.
     */
    public void createDatabase(String database, String user, String password) {
        synchronized (ROLES) {
            createDatabaseOnce(database, user, password);
        }
    }

    private void createDatabaseOnce(String database, String user, String password) {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            if (!exists(s, "SELECT 1 FROM pg_roles WHERE rolname = '" + user + "'")) {
                s.execute("CREATE ROLE \"" + user + "\" LOGIN PASSWORD '" + password.replace("'", "''") + "'");
            }
            if (!exists(s, "SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                s.execute("CREATE DATABASE \"" + database + "\" OWNER \"" + user + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + database + " on " + host + ":" + port
                    + ": " + e.getMessage(), e);
        }
    }

    /**
     * customers-cdc's login {@value #CAPTURE_ROLE} in {@code database}, as docker compose's init makes it
     * ({@code postgres/init/02-customers-cdc.sql}, run by the administrator after the table exists): replication, SELECT
     * on the captured table and the signal table, INSERT on the signal table, the publication; then its password.
     */
    public void grantCapture(String database, String capturePassword) {
        synchronized (ROLES) {
            execute(database, adminUser, adminPassword, initScript("02-customers-cdc.sql"),
                    "ALTER ROLE " + CAPTURE_ROLE + " PASSWORD '" + capturePassword.replace("'", "''") + "'");
        }
    }

    /** One of docker compose's Postgres init scripts ({@code postgres/init/<name>}), whole. */
    public static String initScript(String name) {
        try (InputStream in = PostgresEndpoint.class.getResourceAsStream("/postgres/init/" + name)) {
            if (in == null) {
                throw new IllegalStateException("postgres/init/" + name + " is not on the classpath: build local-stack again");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs SQL statements in {@code database} as {@code user}. */
    public void execute(String database, String user, String password, String... statements) {
        try (Connection c = DriverManager.getConnection(jdbcUrl(database), user, password);
             Statement s = c.createStatement()) {
            for (String sql : statements) {
                s.execute(sql);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("SQL failed in " + database + ": " + e.getMessage(), e);
        }
    }

    /**
     * Drops the replication slot {@code slot} once no one streams from it (its CDC service stopped), waiting up to
     * {@code timeout} for that: a slot left behind keeps its WAL for ever and takes one of the server's slots. Nothing
     * when there is no such slot.
     */
    public void dropReplicationSlot(String slot, java.time.Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            while (true) {
                try (var rs = s.executeQuery("SELECT active FROM pg_replication_slots WHERE slot_name = '" + slot + "'")) {
                    if (!rs.next()) {
                        return;
                    }
                    if (!rs.getBoolean(1)) {
                        break;
                    }
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("replication slot " + slot + " on " + host + ":" + port + " still in use after "
                            + timeout.toSeconds() + " s");
                }
                Thread.sleep(100);
            }
            s.execute("SELECT pg_drop_replication_slot('" + slot + "')");
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot drop replication slot " + slot + " on " + host + ":" + port + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static boolean exists(Statement s, String query) throws SQLException {
        try (var rs = s.executeQuery(query)) {
            return rs.next();
        }
    }

    @Override
    public String toString() {
        return "PostgresEndpoint[" + adminUser + "@" + host + ":" + port + ", password " + (adminPassword.isEmpty() ? "none" : "***") + "]";
    }
}
