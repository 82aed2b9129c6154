package io.streamingetl.customers;

import io.streamingetl.avro.Customer;
import io.streamingetl.cdc.ChangeCapture;
import io.streamingetl.cdc.OnHistoryLost;
import io.streamingetl.contract.Topic;
import io.streamingetl.contract.Topics;
import io.streamingetl.runtime.Settings;
import io.streamingetl.runtime.SettingsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Where the customers live and where their changes go. Defaults are the contract's local demo but for the
 * password, which has none; it is kept out of {@link #toString()} and so out of every log line. The login
 * ({@code POSTGRES_USER}, customers_cdc) is meant to be no superuser: replication, SELECT on the table and the signal
 * table, INSERT on the signal table, as {@code postgres/init/02-customers-cdc.sql} grants. TLS to Postgres
 * is {@code POSTGRES_SSLMODE} (libpq's modes; {@code verify-full} with {@code POSTGRES_SSLROOTCERT} for a private CA).
 */
public record CustomersCdcConfig(String host, int port, String user, String password, String database, String sslMode,
                                 String sslRootCert,
                                 String table, String topicPrefix, Topic<String, Customer> topic, String slotName,
                                 String publicationName, Duration heartbeatInterval, String snapshotMode,
                                 String offsetMismatchStrategy, long walRetainedAlertBytes, Duration walCheckInterval,
                                 String signalTable, boolean slotFailover) {

    public static CustomersCdcConfig from(Settings settings) {
        String table = settings.string("CAPTURED_TABLE", "public.customers");
        if (!table.matches("[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*")) {
            throw new SettingsException("CAPTURED_TABLE", "is '" + table + "', must be schema.table");
        }
        String slot = settings.string("SLOT_NAME", "customers_cdc");
        if (!slot.matches("[a-z0-9_]{1,63}")) {
            throw new SettingsException("SLOT_NAME", "is '" + slot + "', must be lower-case letters, digits and _");
        }
        String snapshotMode = settings.string("SNAPSHOT_MODE", "initial");
        if (!snapshotMode.matches("initial|no_data|when_needed|always|initial_only")) {
            throw new SettingsException("SNAPSHOT_MODE", "is '" + snapshotMode
                    + "', must be initial, no_data, when_needed, always or initial_only");
        }
        // ON_HISTORY_LOST=resnapshot is Debezium's when_needed: a new snapshot when the stored position is gone.
        snapshotMode = OnHistoryLost.from(settings).snapshotMode(snapshotMode);
        String sslMode = settings.string("POSTGRES_SSLMODE", "prefer");
        if (!sslMode.matches("disable|allow|prefer|require|verify-ca|verify-full")) {
            throw new SettingsException("POSTGRES_SSLMODE", "is '" + sslMode
                    + "', must be disable, allow, prefer, require, verify-ca or verify-full");
        }
        String rootCert = settings.string("POSTGRES_SSLROOTCERT", "");
        if (!rootCert.isEmpty() && !Files.isReadable(Path.of(rootCert))) {
            throw new SettingsException("POSTGRES_SSLROOTCERT", "is '" + rootCert + "', not a readable PEM file");
        }
        String signalTable = settings.string("SIGNAL_TABLE", "public.debezium_signal");
        if (!signalTable.matches("[A-Za-z_][A-Za-z0-9_]*\\.[A-Za-z_][A-Za-z0-9_]*")) {
            throw new SettingsException("SIGNAL_TABLE", "is '" + signalTable + "', must be schema.table");
        }
        String mismatch = settings.string("OFFSET_MISMATCH_STRATEGY", "trust_offset");
        if (!mismatch.matches("trust_offset|trust_slot|trust_greater_lsn|no_validation")) {
            throw new SettingsException("OFFSET_MISMATCH_STRATEGY", "is '" + mismatch
                    + "', must be trust_offset, trust_slot, trust_greater_lsn or no_validation");
        }
        return new CustomersCdcConfig(
                settings.string("POSTGRES_HOST", "127.0.0.1"),
                settings.integer("POSTGRES_PORT", 5432, 1, 65535),
                settings.string("POSTGRES_USER", "customers_cdc"),
                settings.requiredSecret("POSTGRES_PASSWORD"),
                settings.string("POSTGRES_DB", "customers"),
                sslMode, rootCert,
                table,
                settings.string("TOPIC_PREFIX", "customers"),
                settings.topic(Topics.CUSTOMERS),
                slot,
                settings.string("PUBLICATION_NAME", "customers_cdc"),
                settings.duration("HEARTBEAT_INTERVAL", Duration.ofSeconds(10)),
                snapshotMode, mismatch,
                settings.longValue("WAL_RETAINED_ALERT_BYTES", 1024L * 1024 * 1024, 1024 * 1024, Long.MAX_VALUE),
                settings.duration("WAL_CHECK_INTERVAL", Duration.ofSeconds(15)),
                signalTable,
                settings.bool("SLOT_FAILOVER", false));
    }

    /** Debezium's Postgres connector: pgoutput, a publication of the captured table only, snapshot then stream. */
    public Properties connectorProperties() {
        Properties p = new Properties();
        p.put("connector.class", "io.debezium.connector.postgresql.PostgresConnector");
        p.put("database.hostname", host);
        p.put("database.port", Integer.toString(port));
        p.put("database.user", user);
        p.put("database.password", password);
        p.put("database.dbname", database);
        p.put("database.sslmode", sslMode);
        if (!sslRootCert.isEmpty()) {
            p.put("database.sslrootcert", sslRootCert);
        }
        p.put("topic.prefix", topicPrefix);
        // The signal table is captured too (its watermarks mark an incremental snapshot's chunks); the router drops it.
        p.put("table.include.list", table + "," + signalTable);
        p.put("signal.data.collection", signalTable);
        p.put("plugin.name", "pgoutput");
        p.put("slot.name", slot());
        // Postgres 17: a slot created as a failover slot is synchronized to standbys (sync_replication_slots there), so a
        // promoted standby has it; elsewhere Debezium creates a plain slot. Only a slot Debezium creates gets it.
        p.put("slot.failover", Boolean.toString(slotFailover));
        p.put("publication.name", publicationName);
        // The administrator makes the publication (postgres/init/02-customers-cdc.sql): adding a table to one takes
        // its owner, and the capture's login owns nothing.
        p.put("publication.autocreate.mode", "disabled");
        // Both watermarks of an incremental snapshot are inserts: the login needs INSERT on the signal table, not DELETE.
        p.put("incremental.snapshot.watermarking.strategy", "insert_insert");
        p.put("snapshot.mode", snapshotMode);
        // A slot re-created after the stored offset (dropped, or lost in a failover or upgrade) would start at
        // its own, later position and skip the changes between: refuse to start instead, and say so.
        p.put("offset.mismatch.strategy", offsetMismatchStrategy);
        // A quiet database still confirms its position, so the slot does not hold WAL forever.
        p.put("heartbeat.interval.ms", Long.toString(heartbeatInterval.toMillis()));
        p.put("transforms", "unwrap");
        p.put("transforms.unwrap.type", "io.debezium.transforms.ExtractNewRecordState");
        p.put("transforms.unwrap.delete.tombstone.handling.mode", "tombstone");
        p.put("transforms.unwrap.add.headers", ChangeCapture.SOURCE_TIME_FIELD);
        return p;
    }

    /** A JDBC connection of its own (the retained-WAL check, the snapshot's count), with the capture's login and TLS. */
    Connection connect() throws SQLException {
        Properties login = new Properties();
        login.setProperty("user", user);
        login.setProperty("password", password);
        login.setProperty("sslmode", sslMode);
        if (!sslRootCert.isEmpty()) {
            login.setProperty("sslrootcert", sslRootCert);
        }
        login.setProperty("connectTimeout", "5");
        login.setProperty("socketTimeout", "30");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + database, login);
    }

    private String slot() {
        return slotName;
    }

    @Override
    public String toString() {
        return "CustomersCdcConfig[postgres=" + user + "@" + host + ":" + port + "/" + database + " (sslmode " + sslMode
                + "), table=" + table
                + ", topic=" + topic + ", slot=" + slotName + ", publication=" + publicationName
                + ", signals=" + signalTable + ", heartbeat=" + heartbeatInterval + ", snapshot=" + snapshotMode + ", offsetMismatch=" + offsetMismatchStrategy
                + ", slotFailover=" + slotFailover + "]";
    }
}
