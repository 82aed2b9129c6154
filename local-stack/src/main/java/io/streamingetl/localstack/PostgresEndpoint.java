package io.streamingetl.localstack;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;

/** Where a Postgres server listens and how to administer it, whichever engine runs it. */
public record PostgresEndpoint(String host, int port, String adminUser, String adminPassword) {

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + host + ":" + port + "/" + database;
    }

    public Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(jdbcUrl(database), adminUser, adminPassword);
    }

    /**
     * The contract's database and user: {@code user} owns {@code database} and may replicate, as Debezium
     * needs. Idempotent.
     */
    public void createDatabase(String database, String user, String password) {
        try (Connection c = connect("postgres"); Statement s = c.createStatement()) {
            if (!exists(s, "SELECT 1 FROM pg_roles WHERE rolname = '" + user + "'")) {
                s.execute("CREATE ROLE \"" + user + "\" LOGIN REPLICATION PASSWORD '" + password.replace("'", "''") + "'");
            }
            if (!exists(s, "SELECT 1 FROM pg_database WHERE datname = '" + database + "'")) {
                s.execute("CREATE DATABASE \"" + database + "\" OWNER \"" + user + "\"");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot create database " + database + " on " + host + ":" + port
                    + ": " + e.getMessage(), e);
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
}
