package io.depthflow.clickhouse;

import io.depthflow.clickhouse.internal.RowBinders;
import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.sources.model.BestExecution;
import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.model.MidPrice;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * "A minute never gets worse", in the test ClickHouse, through the BI views: rows are bound by
 * {@link RowBinders} (version from {@code RowVersions}) and written one INSERT after the other, as
 * the sink writes them. A row rebuilt from less data and written later (the re-emission after a
 * TaskManager was lost) does not replace the complete one; a row from as much data written later (a
 * backfill with fixed code) does. With the old rule (the version is the write time) the later row
 * always won.
 */
@ExtendWith(ClickHouseTestServer.class)
class CompletenessVersionsITCase {

    private static final long MINUTE = 1_796_533_200_000L; // 2026-12-06T05:00:00Z

    @BeforeEach
    void emptyTables() throws Exception {
        ClickHouseTestServer.resetSchema();
    }

    private static MidPrice mid(String exchange, String value, int samples, int expected) {
        MidPrice m =
                new MidPrice(
                        MINUTE,
                        "BTC/USD",
                        exchange,
                        new BigDecimal(value),
                        samples,
                        new BigDecimal("100"),
                        new BigDecimal("101"),
                        99.5);
        m.expectedSamples = expected;
        m.exchanges = new String[] {exchange};
        m.exchangeSamples = samples;
        return m;
    }

    private static MidPrice all(
            String value, int exchangeSamples, int expected, String... exchanges) {
        MidPrice m =
                new MidPrice(
                        MINUTE,
                        "BTC/USD",
                        "all",
                        new BigDecimal(value),
                        exchanges.length,
                        new BigDecimal("100"),
                        new BigDecimal("101"),
                        99.5);
        m.exchanges = exchanges;
        m.exchangeSamples = exchangeSamples;
        m.expectedSamples = expected;
        return m;
    }

    private static MidPrice stream(String value, long goodMs, String status) {
        MidPrice m =
                new MidPrice(
                        MINUTE,
                        "ETH/USD",
                        "kraken",
                        new BigDecimal(value),
                        400,
                        new BigDecimal("100"),
                        new BigDecimal("101"),
                        99.5);
        m.goodMs = goodMs;
        m.bookStatus = status;
        m.exchanges = new String[] {"kraken"};
        return m;
    }

    private static void write(MidPrice m) throws SQLException {
        try (Connection c = ClickHouseTestServer.connection();
                PreparedStatement ps = c.prepareStatement(RowBinders.MID_PRICE_1M)) {
            RowBinders.midPrice(ps, m);
            ps.addBatch();
            ps.executeBatch();
        }
    }

    private static void write(BestExecution b) throws SQLException {
        try (Connection c = ClickHouseTestServer.connection();
                PreparedStatement ps = c.prepareStatement(RowBinders.BEST_EXECUTION_1M)) {
            RowBinders.bestExecution(ps, b);
            ps.addBatch();
            ps.executeBatch();
        }
    }

    private static void write(ExecutionQuote q) throws SQLException {
        try (Connection c = ClickHouseTestServer.connection();
                PreparedStatement ps = c.prepareStatement(RowBinders.EXECUTION_QUOTES_1M)) {
            RowBinders.executionQuote(ps, q);
            ps.addBatch();
            ps.executeBatch();
        }
    }

    private static List<List<String>> mids() throws SQLException {
        return ClickHouseTestServer.query(
                "SELECT market, exchange, toString(mid), samples, expected_samples, good_ms, book_status,"
                        + " toString(exchanges), exchange_samples, partial FROM bi_mid_price_1m ORDER BY market, exchange");
    }

    @Test
    void shouldKeepTheCompleteMinuteWhenALessCompleteOneIsWrittenLater() throws Exception {
        write(mid("kraken", "100.5", 3, 3));
        write(all("100.25", 6, 6, "coinbase", "kraken"));
        write(stream("200.5", 60_000, "ok"));
        // the re-emission from checkpoint state after a lost TaskManager: 2 polls, 1 exchange,
        // a stream book dropped at the restore
        write(mid("kraken", "100.7", 2, 3));
        write(all("100.7", 2, 3, "kraken"));
        write(stream("200.9", 41_000, "job_restarted"));

        assertThat(mids())
                .containsExactly(
                        List.of(
                                "BTC/USD",
                                "all",
                                "100.25",
                                "2",
                                "6",
                                "0",
                                "ok",
                                "['coinbase','kraken']",
                                "6",
                                "0"),
                        List.of(
                                "BTC/USD",
                                "kraken",
                                "100.5",
                                "3",
                                "3",
                                "0",
                                "ok",
                                "['kraken']",
                                "3",
                                "0"),
                        List.of(
                                "ETH/USD",
                                "kraken",
                                "200.5",
                                "400",
                                "0",
                                "60000",
                                "ok",
                                "['kraken']",
                                "400",
                                "0"));
    }

    @Test
    void shouldReplaceAMinuteWithOneFromAsMuchDataOrMore() throws Exception {
        write(mid("kraken", "100.7", 2, 3));
        write(all("100.7", 2, 3, "kraken"));
        assertThat(mids())
                .extracting(r -> r.get(1) + " " + r.get(2) + " partial=" + r.get(9))
                .containsExactly("all 100.7 partial=1", "kraken 100.7 partial=1");

        write(mid("kraken", "100.5", 3, 3)); // more data
        write(all("100.25", 6, 6, "coinbase", "kraken"));
        assertThat(mids())
                .extracting(r -> r.get(1) + " " + r.get(2) + " partial=" + r.get(9))
                .containsExactly("all 100.25 partial=0", "kraken 100.5 partial=0");

        write(mid("kraken", "100.4", 3, 3)); // as much data: a backfill with fixed code
        write(all("100.2", 6, 6, "coinbase", "kraken"));
        assertThat(mids())
                .extracting(r -> r.get(1) + " " + r.get(2))
                .containsExactly("all 100.2", "kraken 100.4");
    }

    @Test
    void shouldFlagAnAllMidOverFewerExchangesThanConfiguredAsPartial() throws Exception {
        MidPrice krakenOnly = all("100.7", 3, 3, "kraken"); // every kraken poll, but no coinbase
        krakenOnly.expectedExchanges = 2;
        write(krakenOnly);
        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT toString(exchanges), exchange_samples, expected_samples, expected_exchanges, partial"
                                        + " FROM bi_mid_price_1m WHERE exchange = 'all'"))
                .containsExactly(List.of("['kraken']", "3", "3", "2", "1"));

        MidPrice both = all("100.25", 6, 6, "coinbase", "kraken");
        both.expectedExchanges = 2;
        write(both);
        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT toString(mid), partial FROM bi_mid_price_1m WHERE exchange = 'all'"))
                .containsExactly(List.of("100.25", "0"));
    }

    @Test
    void shouldKeepTheBestExecutionChosenAmongMoreExchanges() throws Exception {
        BestExecution both =
                new BestExecution(
                        MINUTE, "BTC/USD", "buy", 50_000, "coinbase", new BigDecimal("100.1"), 2);
        both.exchanges = new String[] {"coinbase", "kraken"};
        both.exchangeSamples = 6;
        both.expectedSamples = 6;
        both.expectedExchanges = 2;
        write(both);
        BestExecution krakenOnly =
                new BestExecution(
                        MINUTE, "BTC/USD", "buy", 50_000, "kraken", new BigDecimal("100.3"), 1);
        krakenOnly.exchanges = new String[] {"kraken"};
        krakenOnly.exchangeSamples = 3;
        krakenOnly.expectedSamples = 3;
        krakenOnly.expectedExchanges = 2;
        write(krakenOnly);

        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT exchange, toString(avg_price), candidates, toString(exchanges), exchange_samples,"
                                        + " expected_samples, expected_exchanges, partial FROM bi_best_execution_1m"))
                .containsExactly(
                        List.of(
                                "coinbase",
                                "100.1",
                                "2",
                                "['coinbase','kraken']",
                                "6",
                                "6",
                                "2",
                                "0"));

        both.avgPrice = new BigDecimal("100.05");
        write(both);
        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT exchange, toString(avg_price) FROM bi_best_execution_1m"))
                .containsExactly(List.of("coinbase", "100.05"));
    }

    @Test
    void shouldKeepTheQuoteOfTheWindowWithMorePolls() throws Exception {
        ExecutionQuote q =
                new ExecutionQuote(
                        MINUTE,
                        "kraken",
                        "BTC/USD",
                        "buy",
                        50_000,
                        true,
                        new BigDecimal("100.2"),
                        new BigDecimal("100.4"),
                        new BigDecimal("499"),
                        new BigDecimal("50000"),
                        2,
                        1.5,
                        MINUTE + 41_000);
        q.samples = 3;
        q.expectedSamples = 3;
        write(q);
        q.avgPrice = new BigDecimal("100.9");
        q.bookTime = MINUTE + 21_000;
        q.samples = 2;
        write(q);
        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT toString(avg_price), samples, expected_samples, good_ms FROM execution_quotes_1m FINAL"))
                .containsExactly(List.of("100.2", "3", "3", "0"));
    }
}
