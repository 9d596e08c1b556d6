package io.depthflow.clickhouse.testing;

import io.depthflow.clickhouse.Migrations;
import io.depthflow.clickhouse.embedded.EmbeddedClickHouse;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * An embedded ClickHouse of its own (not the shared {@link ClickHouseTestServer}) that a test can
 * stop and start again on the same data directory and port: a ClickHouse outage, as a user's
 * restart or upgrade makes one. The schema is migrated on first start.
 */
public final class RestartableClickHouse implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private EmbeddedClickHouse server;

    private RestartableClickHouse(Path dataDir, EmbeddedClickHouse server) {
        this.dataDir = dataDir;
        this.server = server;
        this.port = server.port();
    }

    /** Starts a server on {@code dataDir} (any free port) and applies the migrations. */
    public static RestartableClickHouse start(Path dataDir) throws IOException, SQLException {
        RestartableClickHouse ch =
                new RestartableClickHouse(dataDir, EmbeddedClickHouse.start(dataDir));
        try (Connection c = ch.connection()) {
            new Migrations(c).apply();
        }
        return ch;
    }

    public String jdbcUrl() {
        return "jdbc:clickhouse://127.0.0.1:" + port + "/default?compress=0";
    }

    /**
     * Stops the server process (SIGTERM, then SIGKILL after 10 s); clients get connection refused.
     */
    public void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** Starts the server again on the same data directory and port. */
    public void restart() throws IOException {
        if (server == null) {
            server = EmbeddedClickHouse.start(dataDir, port);
        }
    }

    public boolean isRunning() {
        return server != null;
    }

    public Connection connection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), "default", "");
    }

    /** Rows of a query, each value as the driver's {@code getString} renders it. */
    public List<List<String>> query(String sql) throws SQLException {
        try (Connection c = connection();
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            List<List<String>> rows = new ArrayList<>();
            while (rs.next()) {
                List<String> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    row.add(rs.getString(i));
                }
                rows.add(row);
            }
            return rows;
        }
    }

    public void execute(String sql) throws SQLException {
        try (Connection c = connection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    @Override
    public void close() {
        stop();
    }
}
