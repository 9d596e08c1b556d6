package io.depthflow.clickhouse.embedded;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The embedded server against the real ClickHouse JDBC driver and plain HTTP. Runs its own server
 * (not the shared test server), because it tests this server's protocol specifically.
 */
class ChdbHttpServerTest {

    @TempDir static Path dataDir;

    private static EmbeddedClickHouse server;

    @BeforeAll
    static void startServer() throws Exception {
        server = EmbeddedClickHouse.start(dataDir);
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    private static Connection connect() throws SQLException {
        return DriverManager.getConnection(server.jdbcUrl(), "default", "");
    }

    @Test
    void shouldRoundTripTypedRowsInABatchThroughTheJdbcDriver() throws Exception {
        BigDecimal widest = new BigDecimal("12345678901234567890.123456789012345678");
        BigDecimal smallest = new BigDecimal("0.000000000000000001");
        String awkward = "it's a \"quote\", a \\ backslash,\ta tab, a\nnewline and €";
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS typed_rows");
            s.execute(
                    "CREATE TABLE typed_rows (id UInt32, at DateTime64(3, 'UTC'),"
                            + " venue LowCardinality(String), price Decimal(38, 18),"
                            + " sizes Array(Decimal(38, 18)), note String)"
                            + " ENGINE = MergeTree ORDER BY id");
            try (PreparedStatement ps =
                    c.prepareStatement("INSERT INTO typed_rows VALUES (?, ?, ?, ?, ?, ?)")) {
                ps.setInt(1, 1);
                ps.setObject(2, Instant.ofEpochMilli(1_700_000_000_123L));
                ps.setString(3, "coinbase");
                ps.setBigDecimal(4, widest);
                ps.setObject(5, new BigDecimal[] {smallest, new BigDecimal("0.00000001"), widest});
                ps.setString(6, awkward);
                ps.addBatch();
                ps.setInt(1, 2);
                ps.setObject(2, Instant.ofEpochMilli(0L));
                ps.setString(3, "kraken");
                ps.setBigDecimal(4, smallest);
                ps.setObject(5, new BigDecimal[0]);
                ps.setString(6, "");
                ps.addBatch();
                assertThat(ps.executeBatch()).containsExactly(1, 1);
            }
            try (ResultSet rs =
                    s.executeQuery(
                            "SELECT id, toUnixTimestamp64Milli(at), venue, price, sizes, note"
                                    + " FROM typed_rows ORDER BY id")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(1);
                assertThat(rs.getLong(2)).isEqualTo(1_700_000_000_123L);
                assertThat(rs.getString(3)).isEqualTo("coinbase");
                assertThat(rs.getBigDecimal(4)).isEqualByComparingTo(widest);
                Array sizes = rs.getArray(5);
                assertThat((Object[]) sizes.getArray())
                        .usingElementComparator(
                                (a, b) -> ((BigDecimal) a).compareTo((BigDecimal) b))
                        .containsExactly(smallest, new BigDecimal("0.00000001"), widest);
                assertThat(rs.getString(6)).isEqualTo(awkward);
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(2)).isZero();
                assertThat(rs.getBigDecimal(4)).isEqualByComparingTo(smallest);
                assertThat((Object[]) rs.getArray(5).getArray()).isEmpty();
                assertThat(rs.next()).isFalse();
            }
        }
    }

    @Test
    void shouldReportTheClickHouseErrorCodeAndKeepTheConnectionUsable() throws Exception {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.executeQuery("SELECT * FROM no_such_table"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageStartingWith("Code: 60. DB::Exception:")
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(60));
            assertThatThrownBy(() -> s.executeQuery("SELEC 1"))
                    .satisfies(e -> assertThat(((SQLException) e).getErrorCode()).isEqualTo(62));
            try (ResultSet rs = s.executeQuery("SELECT 40 + 2")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).isEqualTo(42);
            }
        }
    }

    @Test
    void shouldRefuseDropSyncWhichWouldBlockTheEngineForever() throws Exception {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute(
                    "CREATE TABLE IF NOT EXISTS dropped_rows (n UInt8) ENGINE = MergeTree ORDER BY"
                            + " n");

            assertThatThrownBy(() -> s.execute("DROP TABLE dropped_rows SYNC"))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining("drop without SYNC");
            s.execute("DROP TABLE dropped_rows");
            s.execute("CREATE TABLE dropped_rows (n UInt8) ENGINE = MergeTree ORDER BY n");
            s.execute("DROP TABLE dropped_rows");
        }
    }

    @Test
    void shouldInsertDriverRowBinaryBatchesThroughASpooledFile() throws Exception {
        String url = server.jdbcUrl() + "&beta.row_binary_for_simple_insert=true";
        try (Connection c = DriverManager.getConnection(url, "default", "");
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS binary_rows");
            s.execute(
                    "CREATE TABLE binary_rows (id UInt32, at DateTime64(3, 'UTC'), price"
                            + " Decimal(38, 18), label String) ENGINE = MergeTree ORDER BY id");
            try (PreparedStatement ps =
                    c.prepareStatement(
                            "INSERT INTO binary_rows (id, at, price, label) VALUES (?, ?, ?, ?)")) {
                for (int i = 0; i < 5_000; i++) {
                    ps.setInt(1, i);
                    ps.setObject(2, Instant.ofEpochMilli(1_700_000_000_000L + i));
                    ps.setBigDecimal(3, BigDecimal.valueOf(i, 18));
                    ps.setString(4, "row " + i);
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            try (ResultSet rs =
                    s.executeQuery(
                            "SELECT count(), sum(id), toString(sum(price)),"
                                    + " max(toUnixTimestamp64Milli(at)) FROM binary_rows")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getLong(1)).isEqualTo(5_000);
                assertThat(rs.getLong(2)).isEqualTo(4_999L * 5_000 / 2);
                assertThat(new BigDecimal(rs.getString(3)))
                        .isEqualByComparingTo(BigDecimal.valueOf(4_999L * 5_000 / 2, 18));
                assertThat(rs.getLong(4)).isEqualTo(1_700_000_004_999L);
            }
        }
    }

    @Test
    void shouldAnswerPingAndCurlStyleRequests() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> ping =
                http.send(
                        HttpRequest.newBuilder(URI.create(server.httpUrl() + "ping")).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(ping.statusCode()).isEqualTo(200);
        assertThat(ping.body()).isEqualTo("Ok.\n");

        HttpResponse<String> select = get(http, "SELECT 1 + 1, 'a'");
        assertThat(select.statusCode()).isEqualTo(200);
        assertThat(select.body()).isEqualTo("2\ta\n");
        assertThat(select.headers().firstValue("X-ClickHouse-Format")).hasValue("TabSeparated");
        assertThat(select.headers().firstValue("X-ClickHouse-Timezone"))
                .hasValueSatisfying(tz -> assertThat(tz).endsWith("UTC"));
        assertThat(select.headers().firstValue("X-ClickHouse-Query-Id")).isPresent();

        post(http, "", "DROP TABLE IF EXISTS tsv_rows");
        post(
                http,
                "",
                "CREATE TABLE tsv_rows (id UInt32, name String) ENGINE = MergeTree ORDER BY id");
        HttpResponse<String> insert =
                post(http, "INSERT INTO tsv_rows FORMAT TabSeparated", "1\tone\n2\ttwo\n");
        assertThat(insert.statusCode()).isEqualTo(200);
        assertThat(insert.headers().firstValue("X-ClickHouse-Summary"))
                .hasValueSatisfying(
                        summary -> assertThat(summary).contains("\"written_rows\":\"2\""));
        assertThat(get(http, "SELECT name FROM tsv_rows ORDER BY id").body())
                .isEqualTo("one\ntwo\n");

        HttpResponse<String> error = get(http, "SELECT * FROM no_such_table");
        assertThat(error.statusCode()).isEqualTo(404);
        assertThat(error.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("60");
        assertThat(error.body()).startsWith("Code: 60. DB::Exception:");
    }

    @Test
    void shouldRefuseCompressionWithAHintToDisableIt() {
        String compressingUrl = server.jdbcUrl().replace("?compress=0", "");
        assertThatThrownBy(
                        () -> {
                            try (Connection c =
                                            DriverManager.getConnection(
                                                    compressingUrl, "default", "");
                                    Statement s = c.createStatement()) {
                                s.executeQuery("SELECT 1");
                            }
                        })
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("add compress=0 to the JDBC URL");
    }

    @Test
    void shouldServeConcurrentClientsWithoutErrors() throws Exception {
        try (Connection c = connect();
                Statement s = c.createStatement()) {
            s.execute("DROP TABLE IF EXISTS concurrent_rows");
            s.execute(
                    "CREATE TABLE concurrent_rows (client UInt8, n UInt32) ENGINE = MergeTree ORDER"
                            + " BY (client, n)");
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Long>> clients = new ArrayList<>();
            for (int client = 0; client < 4; client++) {
                int id = client;
                clients.add(
                        pool.submit(
                                () -> {
                                    try (Connection c = connect();
                                            PreparedStatement insert =
                                                    c.prepareStatement(
                                                            "INSERT INTO concurrent_rows VALUES (?,"
                                                                    + " ?)");
                                            PreparedStatement count =
                                                    c.prepareStatement(
                                                            "SELECT count() FROM concurrent_rows"
                                                                    + " WHERE client = ?")) {
                                        for (int n = 0; n < 15; n++) {
                                            insert.setInt(1, id);
                                            insert.setInt(2, n);
                                            insert.executeUpdate();
                                        }
                                        count.setInt(1, id);
                                        try (ResultSet rs = count.executeQuery()) {
                                            rs.next();
                                            return rs.getLong(1);
                                        }
                                    }
                                }));
            }
            for (Future<Long> client : clients) {
                assertThat(client.get()).isEqualTo(15L);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static HttpResponse<String> get(HttpClient http, String sql) throws Exception {
        URI uri =
                URI.create(
                        server.httpUrl()
                                + "?query="
                                + URLEncoder.encode(sql, StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> post(HttpClient http, String queryParam, String body)
            throws Exception {
        String url =
                server.httpUrl()
                        + (queryParam.isEmpty()
                                ? ""
                                : "?query="
                                        + URLEncoder.encode(queryParam, StandardCharsets.UTF_8));
        return http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
