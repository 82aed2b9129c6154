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
