package io.depthflow.clickhouse;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(ClickHouseTestServer.class)
class MigrationsTest {

    @BeforeEach
    void dropEverything() throws Exception {
        for (String object :
                List.of(
                        "bi_routing_cost_1d",
                        "bi_best_execution_all_in_1m",
                        "bi_routed_execution_1m",
                        "bi_liquidity_1m",
                        "bi_arbitrage_1m",
                        "routed_execution_1m",
                        "liquidity_bands_1m",
                        "arbitrage_1m",
                        "bi_mid_price_1m",
                        "bi_best_execution_1m",
                        "raw_order_books",
                        "ingest_errors",
                        "order_book_slices",
                        "mid_price_1m",
                        "execution_quotes_1m",
                        "best_execution_1m",
                        Migrations.HISTORY_TABLE)) {
            ClickHouseTestServer.execute("DROP TABLE IF EXISTS " + object);
        }
    }

    @Test
    void shouldApplyEachMigrationOnceAndDoNothingTheSecondTime() throws Exception {
        try (Connection c = ClickHouseTestServer.connection()) {
            Migrations migrations = new Migrations(c);

            assertThat(migrations.apply())
                    .extracting(Migrations.Migration::name)
                    .containsExactly(
                            "V001__poll_pipeline.sql",
                            "V002__stream_mode.sql",
                            "V003__completeness.sql",
                            "V004__widen_levels.sql",
                            "V005__ingest_errors_source.sql",
                            "V006__liquidity.sql");
            assertThat(migrations.apply()).isEmpty();
        }
        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT version, name, length(checksum) FROM "
                                        + Migrations.HISTORY_TABLE
                                        + " ORDER BY version"))
                .containsExactly(
                        List.of("1", "V001__poll_pipeline.sql", "64"),
                        List.of("2", "V002__stream_mode.sql", "64"),
                        List.of("3", "V003__completeness.sql", "64"),
                        List.of("4", "V004__widen_levels.sql", "64"),
                        List.of("5", "V005__ingest_errors_source.sql", "64"),
                        List.of("6", "V006__liquidity.sql", "64"));
        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT name, engine FROM system.tables WHERE database ="
                                        + " currentDatabase() ORDER BY name"))
                .contains(
                        List.of("best_execution_1m", "ReplacingMergeTree"),
                        List.of("bi_best_execution_1m", "View"),
                        List.of("bi_mid_price_1m", "View"),
                        List.of("depthflow_schema_migrations", "MergeTree"),
                        List.of("execution_quotes_1m", "ReplacingMergeTree"),
                        List.of("ingest_errors", "ReplacingMergeTree"),
                        List.of("mid_price_1m", "ReplacingMergeTree"),
                        List.of("order_book_slices", "ReplacingMergeTree"),
                        List.of("raw_order_books", "ReplacingMergeTree"));
        assertThat(ClickHouseTestServer.query("SELECT * FROM bi_mid_price_1m")).isEmpty();
    }

    @Test
    void shouldOnlyReadWhenTheSchemaIsUpToDateSoAWriterWithoutDdlRightsCanStart() throws Exception {
        try (Connection c = ClickHouseTestServer.connection()) {
            new Migrations(c).apply();
            List<String> sent = new ArrayList<>();

            assertThat(new Migrations(recording(c, sent)).apply()).isEmpty();

            assertThat(sent)
                    .isNotEmpty()
                    .allSatisfy(sql -> assertThat(sql).matches("(?s)(SELECT|EXISTS) .*"));
        }
    }

    @Test
    void shouldRefuseAnAppliedMigrationWhoseTextChanged() throws Exception {
        try (Connection c = ClickHouseTestServer.connection()) {
            new Migrations(c).apply();
            ClickHouseTestServer.execute("TRUNCATE TABLE " + Migrations.HISTORY_TABLE);
            ClickHouseTestServer.execute(
                    "INSERT INTO "
                            + Migrations.HISTORY_TABLE
                            + " VALUES (1, 'V001__poll_pipeline.sql', 'checksum-of-an-older-text',"
                            + " now64(3))");

            assertThatThrownBy(() -> new Migrations(c).apply())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining(
                            "V001__poll_pipeline.sql was changed after it had been applied")
                    .hasMessageContaining("checksum-of-an-older-text");
        }
    }

    @Test
    void shouldKeepPollRowsValidAndLeaveWindowsWithoutAMidOutOfTheBiView() throws Exception {
        try (Connection c = ClickHouseTestServer.connection()) {
            new Migrations(c).apply();
        }
        // A row in V001's shape (poll mode) gets the defaults; a stream window without a usable
        // book
        // (samples 0) stays in the table with its flag but not in the BI view.
        ClickHouseTestServer.execute(
                "INSERT INTO mid_price_1m (window_start, market, exchange, mid, samples, best_bid, best_ask, spread_bps, version)"
                        + " VALUES ('2026-11-20 11:45:00', 'BTC/USD', 'coinbase', 90000.5, 3, 90000, 90001, 0.11, 1)");
        ClickHouseTestServer.execute(
                "INSERT INTO mid_price_1m (window_start, market, exchange, mid, samples, best_bid, best_ask, spread_bps,"
                        + " book_status, good_ms, version)"
                        + " VALUES ('2026-11-20 11:45:00', 'BTC/USD', 'kraken', 0, 0, 0, 0, 0, 'sequence_gap', 0, 1)");
        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT exchange, book_status, good_ms FROM mid_price_1m FINAL ORDER BY exchange"))
                .containsExactly(
                        List.of("coinbase", "ok", "0"), List.of("kraken", "sequence_gap", "0"));
        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT exchange, toString(mid) FROM bi_mid_price_1m"))
                .containsExactly(List.of("coinbase", "90000.5"));
    }

    @Test
    void shouldKeepDistinctWebSocketMessagesOfTheSameMillisecondAsDistinctRawRows()
            throws Exception {
        try (Connection c = ClickHouseTestServer.connection()) {
            new Migrations(c).apply();
        }
        for (String payload : List.of("{\"a\":1}", "{\"a\":2}", "{\"a\":2}")) {
            ClickHouseTestServer.execute(
                    "INSERT INTO raw_order_books (exchange, market, kind, received_at, http_status, payload,"
                            + " payload_hash, version) VALUES ('kraken', 'BTC/USD', 'ws', '2026-11-20 11:45:00.123', 0, '"
                            + payload
                            + "', "
                            + io.depthflow.clickhouse.internal.RowBinders.payloadHash(payload)
                            + ", 1)");
        }
        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT payload FROM raw_order_books FINAL ORDER BY payload"))
                .containsExactly(List.of("{\"a\":1}"), List.of("{\"a\":2}"));
    }

    @Test
    void shouldChangeTheRawTtlOnlyWhenItDiffers() throws Exception {
        try (Connection c = ClickHouseTestServer.connection()) {
            Migrations migrations = new Migrations(c);
            migrations.apply();
            assertThat(showCreate("raw_order_books"))
                    .contains("TTL toDateTime(received_at) + toIntervalDay(30)");

            assertThat(migrations.applyRawTtlDays(7)).isTrue();
            assertThat(showCreate("raw_order_books"))
                    .contains("TTL toDateTime(received_at) + toIntervalDay(7)");
            assertThat(migrations.applyRawTtlDays(7)).isFalse();
            assertThatThrownBy(() -> migrations.applyRawTtlDays(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("positive");
        }
    }

    @Test
    void shouldListEveryMigrationFileInTheIndex() throws Exception {
        Path dir = Path.of("src/main/resources", Migrations.RESOURCE_DIR);
        List<String> files;
        try (Stream<Path> paths = Files.list(dir)) {
            files =
                    paths.map(p -> p.getFileName().toString())
                            .filter(n -> n.endsWith(".sql"))
                            .sorted()
                            .toList();
        }

        assertThat(Migrations.available())
                .extracting(Migrations.Migration::name)
                .containsExactlyElementsOf(files);
    }

    @Test
    void shouldSplitAScriptIntoStatementsAtLinesEndingWithASemicolon() {
        String sql =
                "-- a comment line; not a statement\n"
                        + "CREATE TABLE a\n"
                        + "(\n"
                        + "    x UInt8 -- trailing comment\n"
                        + ")\n"
                        + "ENGINE = Memory;\n\n"
                        + "  -- indented comment\n"
                        + "CREATE VIEW v AS SELECT ';' AS s FROM a;   \n"
                        + "SELECT 1\n";
        Migrations.Migration migration = new Migrations.Migration(9, "V009__x.sql", sql, "");

        assertThat(migration.statements())
                .containsExactly(
                        "CREATE TABLE a\n(\n    x UInt8 -- trailing comment\n)\nENGINE = Memory",
                        "CREATE VIEW v AS SELECT ';' AS s FROM a",
                        "SELECT 1");
        assertThat(Migrations.available().get(0).statements()).hasSize(8);
    }

    private static String showCreate(String table) throws Exception {
        return ClickHouseTestServer.query("SHOW CREATE TABLE " + table).get(0).get(0);
    }

    /** {@code connection}, recording the text of every statement run through it. */
    private static Connection recording(Connection connection, List<String> sent) {
        return (Connection)
                Proxy.newProxyInstance(
                        Connection.class.getClassLoader(),
                        new Class<?>[] {Connection.class},
                        (proxy, method, args) -> {
                            Object result = method.invoke(connection, args);
                            if (result instanceof java.sql.PreparedStatement) {
                                sent.add(String.valueOf(args[0]));
                                return result;
                            }
                            if (result instanceof Statement statement) {
                                return Proxy.newProxyInstance(
                                        Statement.class.getClassLoader(),
                                        new Class<?>[] {Statement.class},
                                        (p, m, a) -> {
                                            if (a != null
                                                    && a.length > 0
                                                    && a[0] instanceof String sql) {
                                                sent.add(sql);
                                            }
                                            return m.invoke(statement, a);
                                        });
                            }
                            return result;
                        });
    }
}
