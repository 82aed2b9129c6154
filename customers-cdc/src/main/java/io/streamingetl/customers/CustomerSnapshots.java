package io.streamingetl.customers;

import io.streamingetl.cdc.SnapshotSource;
import io.streamingetl.runtime.SafeText;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The customers table re-captured on demand: {@code ./pipeline snapshot customers [--where "<SQL condition>"]}.
 * Debezium takes the condition as SQL ({@code additional-conditions}), as does the count of rows it selects: it is
 * checked to be one expression first ({@link SqlCondition}) and counted in a read-only transaction, with the capture's
 * login, which reads the table and the signal table and writes only the signal table. The administrator makes the
 * signal table (postgres/init/02-customers-cdc.sql): the login cannot, and it is checked before capture starts.
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
        return SqlCondition.check(where);
    }

    @Override
    public long count(String dataCollection, String where) {
        String query = "SELECT count(*) FROM " + dataCollection + (where == null ? "" : " WHERE (" + SqlCondition.check(where) + ")");
        try (Connection connection = config.connect()) {
            connection.setAutoCommit(false);
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET TRANSACTION READ ONLY");
                try (ResultSet rows = statement.executeQuery(query)) {
                    return rows.next() ? rows.getLong(1) : -1;
                }
            } finally {
                connection.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalArgumentException("Postgres refused the condition or could not count: " + e.getMessage(), e);
        }
    }

    /** Says when the signal table is missing or the login may not write it: ./pipeline snapshot needs both. */
    @Override
    public void prepare() {
        try (Connection connection = config.connect();
             PreparedStatement check = connection.prepareStatement("SELECT to_regclass(?) IS NOT NULL"
                     + " AND has_table_privilege(to_regclass(?), 'SELECT, INSERT')")) {
            check.setString(1, config.signalTable());
            check.setString(2, config.signalTable());
            try (ResultSet answer = check.executeQuery()) {
                if (answer.next() && !answer.getBoolean(1)) {
                    LOG.warn("The signal table {} (SIGNAL_TABLE) is missing, or {} may not read and insert into it:"
                            + " ./pipeline snapshot needs both; create and grant it as postgres/init/02-customers-cdc.sql does,"
                            + " then restart customers-cdc", config.signalTable(), config.user());
                }
            }
        } catch (SQLException e) {
            LOG.warn("Cannot check the signal table {} ({}): ./pipeline snapshot needs it", config.signalTable(),
                    SafeText.of(e.getMessage()));
        }
    }
}
