package io.depthflow.clickhouse.testing;

import io.depthflow.clickhouse.ClickHouseSinkOptions;
import io.depthflow.clickhouse.Migrations;
import io.depthflow.clickhouse.embedded.EmbeddedClickHouse;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The ClickHouse of a test JVM: one server, started on first use and shared by every test class.
 *
 * <pre>{@code
 * @ExtendWith(ClickHouseTestServer.class)   // optional: start it before the class, not in a test
 * class MySinkITCase {
 *     @BeforeEach
 *     void cleanSchema() throws Exception {
 *         ClickHouseTestServer.resetSchema();                 // empty tables, current migrations
 *     }
 *
 *     @Test
 *     void shouldWriteMids() throws Exception {
 *         ... ClickHouseSinkOptions.builder().jdbcUrl(ClickHouseTestServer.jdbcUrl()).build() ...
 *         assertThat(ClickHouseTestServer.query("SELECT market, toString(mid) FROM bi_mid_price_1m"))
 *                 .containsExactly(List.of("BTC/USD", "65000.5"));
 *     }
 * }
 * }</pre>
 *
 * <p>Which server:
 *
 * <ul>
 *   <li>When the environment variable {@value #ENV_URL} is set, it is the JDBC URL of a real
 *       ClickHouse server and nothing is started; credentials come from {@code CLICKHOUSE_USER} /
 *       {@code CLICKHOUSE_PASSWORD} (or {@code CLICKHOUSE_PASSWORD_FILE}). {@link #resetSchema()}
 *       drops depthflow's tables in that database: never point it at data you want to keep.
 *   <li>Otherwise an {@link EmbeddedClickHouse} on a fresh temporary data directory, stopped and
 *       deleted by a JVM shutdown hook (and exiting by itself if this JVM is killed).
 * </ul>
 *
 * <p>The server is shared: test classes in one JVM must run one after another (the default), and
 * each should call {@link #resetSchema()} before it relies on table contents.
 */
public final class ClickHouseTestServer implements BeforeAllCallback {

    /** Environment variable with the JDBC URL of a real ClickHouse to test against. */
    public static final String ENV_URL = "CLICKHOUSE_URL";

    private static final Pattern CREATED_OBJECT =
            Pattern.compile(
                    "CREATE\\s+(?:OR\\s+REPLACE\\s+)?(?:TABLE|VIEW|MATERIALIZED\\s+VIEW|DICTIONARY)"
                            + "\\s+(?:IF\\s+NOT\\s+EXISTS\\s+)?([`\\w.]+)",
                    Pattern.CASE_INSENSITIVE);

    private static String jdbcUrl;

    /** Starts the server (if needed) before the annotated test class. */
    @Override
    public void beforeAll(ExtensionContext context) {
        jdbcUrl();
    }

    /** The JDBC URL of the test server, starting it on first use. */
    public static synchronized String jdbcUrl() {
        if (jdbcUrl == null) {
            String external = System.getenv(ENV_URL);
            jdbcUrl = external != null && !external.isBlank() ? external : startEmbedded();
        }
        return jdbcUrl;
    }

    /** A new connection to the test server; the caller closes it. */
    public static Connection connection() throws SQLException {
        // the same credential resolution as the job (CLICKHOUSE_USER, CLICKHOUSE_PASSWORD[_FILE])
        ClickHouseSinkOptions credentials =
                ClickHouseSinkOptions.builder().jdbcUrl(jdbcUrl()).build();
        return DriverManager.getConnection(jdbcUrl(), credentials.user(), credentials.password());
    }

    /**
     * Drops every table and view that the migrations create, and the migration history, then
     * applies the migrations again: afterwards the schema is current and all tables are empty.
     */
    public static void resetSchema() throws SQLException {
        try (Connection c = connection();
                Statement s = c.createStatement()) {
            List<String> objects = new ArrayList<>();
            for (Migrations.Migration migration : Migrations.available()) {
                for (String statement : migration.statements()) {
                    Matcher m = CREATED_OBJECT.matcher(statement);
                    if (m.lookingAt()) {
                        objects.add(m.group(1));
                    }
                }
            }
            // views before the tables they read
            for (int i = objects.size() - 1; i >= 0; i--) {
                s.execute("DROP TABLE IF EXISTS " + objects.get(i));
            }
            s.execute("DROP TABLE IF EXISTS " + Migrations.HISTORY_TABLE);
            new Migrations(c).apply();
        }
    }

    /** Runs a statement that returns no rows (DDL, INSERT, OPTIMIZE). */
    public static void execute(String sql) throws SQLException {
        try (Connection c = connection();
                Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }

    /**
     * Runs a query and returns its rows, each value as the driver's {@code getString} renders it
     * (null stays null). For exact text, convert in SQL: {@code toString(price)}, {@code
     * toUnixTimestamp64Milli(ts)}; the driver renders timestamps in the JVM's time zone.
     */
    public static List<List<String>> query(String sql) throws SQLException {
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

    private static String startEmbedded() {
        try {
            Path dataDir = Files.createTempDirectory("depthflow-clickhouse-test-");
            EmbeddedClickHouse server = EmbeddedClickHouse.start(dataDir);
            Runtime.getRuntime()
                    .addShutdownHook(
                            new Thread(
                                    () -> {
                                        server.close();
                                        deleteQuietly(dataDir);
                                    },
                                    "clickhouse-test-server-stop"));
            return server.jdbcUrl();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the embedded ClickHouse", e);
        }
    }

    private static void deleteQuietly(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // best effort in a shutdown hook: a leftover temp directory is harmless
        }
    }
}
