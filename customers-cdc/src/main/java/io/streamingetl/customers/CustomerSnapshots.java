package io.streamingetl.customers;

import io.streamingetl.cdc.SnapshotSource;
import io.streamingetl.runtime.SafeText;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customers table re-captured on demand: {@code ./pipeline snapshot customers [--where "<SQL condition>"]}.
 * Debezium takes the condition as SQL ({@code additional-conditions}), as does the count of rows it selects. The
 * signal table Debezium writes its watermarks to is created here when missing, before capture starts, so the
 * capture's publication includes it.
 */
final class CustomerSnapshots implements SnapshotSource {
    private static final Logger LOG = LoggerFactory.getLogger(CustomerSnapshots.class);

    private final CustomersCdcConfig config;

    CustomerSnapshots(CustomersCdcConfig config) {
        this.config = config;
    }

    @Override
    public Map<String, String> collections() {
        return Map.of(config.table().substring(config.table().indexOf('.') + 1), config.table());
    }

    @Override
    public String condition(String dataCollection, String where) {
        return where;
    }

    @Override
    public long count(String dataCollection, String where) {
        try (Connection connection = config.connect(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + dataCollection
                     + (where == null ? "" : " WHERE " + where))) {
            return rows.next() ? rows.getLong(1) : -1;
        } catch (SQLException e) {
            throw new IllegalArgumentException("Postgres refused the condition or could not count: " + e.getMessage(), e);
        }
    }

    /** Creates the signal table when missing; a database not reachable yet is left to Debezium, which retries. */
    @Override
    public void prepare() {
        try (Connection connection = config.connect(); Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS " + config.signalTable()
                    + " (id VARCHAR(42) PRIMARY KEY, type VARCHAR(32) NOT NULL, data VARCHAR(2048) NULL)");
        } catch (SQLException e) {
            LOG.warn("Cannot make sure the signal table {} exists ({}): ./pipeline snapshot needs it; create it as in"
                    + " postgres/init/01-customers.sql", config.signalTable(), SafeText.of(e.getMessage()));
        }
    }
}
