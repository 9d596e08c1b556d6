package io.depthflow.job.dashboard;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each dashboard query against the embedded ClickHouse, on rows written as the job writes them. */
@ExtendWith(ClickHouseTestServer.class)
class DashboardQueriesITCase {

    private static final long T10 = 1_764_583_200_000L; // 2025-12-01 10:00:00 UTC
    private DashboardQueries queries;

    @BeforeEach
    void setUp() throws Exception {
        ClickHouseTestServer.resetSchema();
        queries = new DashboardQueries(ClickHouseTestServer.jdbcUrl(), new Properties());
        mid("2025-12-01 10:00:00", "BTC/USD", "coinbase", "90000.255", 4, "ok", "1.2");
        mid("2025-12-01 10:00:00", "BTC/USD", "kraken", "89998.33", 4, "ok", "2.5");
        mid("2025-12-01 10:00:00", "BTC/USD", "all", "89999.2925", 8, "ok", "0");
        mid("2025-12-01 10:01:00", "BTC/USD", "coinbase", "90010.5", 2, "stale_feed", "1.1");
        mid("2025-12-01 10:01:00", "BTC/USD", "kraken", "0", 0, "checksum_mismatch", "0");
        mid("2025-12-01 09:00:00", "BTC/USD", "coinbase", "88000", 4, "ok", "1");
        mid("2025-12-01 10:00:00", "ETH/USD", "coinbase", "3000.5", 4, "ok", "3");
        ClickHouseTestServer.execute(
                "INSERT INTO best_execution_1m (window_start, market, side, notional, exchange, avg_price, candidates, version) VALUES"
                        + " ('2025-12-01 10:00:00', 'BTC/USD', 'buy', 50000, 'coinbase', 90012.2707, 2, 1),"
                        + " ('2025-12-01 10:00:00', 'BTC/USD', 'sell', 100000, 'kraken', 89989.3126, 2, 1),"
                        + " ('2025-12-01 10:00:00', 'ETH/USD', 'buy', 50000, 'kraken', 3001, 2, 1)");
        ClickHouseTestServer.execute(
                "INSERT INTO execution_quotes_1m (window_start, exchange, market, side, notional, complete, avg_price,"
                        + " worst_price, base_qty, filled_notional, levels, slippage_bps, book_time, version) VALUES"
                        + " ('2025-12-01 10:00:00', 'coinbase', 'BTC/USD', 'buy', 50000, true, 90012.2707, 90013, 0.55, 50000, 3, 1.33, '2025-12-01 10:00:59', 1),"
                        + " ('2025-12-01 09:59:00', 'coinbase', 'BTC/USD', 'buy', 50000, true, 90000, 90001, 0.55, 50000, 3, 9.99, '2025-12-01 09:59:59', 1),"
                        + " ('2025-12-01 09:59:00', 'kraken', 'BTC/USD', 'sell', 50000, false, 89000, 88000, 0.5, 44500, 30, 111.5, '2025-12-01 09:59:59', 1)");
        ClickHouseTestServer.execute(
                "INSERT INTO order_book_slices (exchange, market, received_at, side, prices, quantities, levels,"
                        + " cumulative_notional, vwap_100k, complete, version) VALUES"
                        + " ('kraken', 'BTC/USD', '2025-12-01 10:00:30', 'bid', [89990], [1], 1, 89990, 0, false, 1),"
                        + " ('kraken', 'BTC/USD', '2025-12-01 10:00:45', 'bid', [89995.5, 89990], [0.5, 1.25], 2, 157485.25, 89992, true, 1),"
                        + " ('kraken', 'BTC/USD', '2025-12-01 10:00:45', 'ask', [90001], [2], 1, 180002, 90001, true, 1),"
                        + " ('coinbase', 'BTC/USD', '2025-12-01 10:00:50', 'bid', [89995.5, 89980], [1, 3], 2, 359935.5, 89985, true, 1)");
        ClickHouseTestServer.execute(
                "INSERT INTO ingest_errors (exchange, market, received_at, error_type, error, payload, version) VALUES"
                        + " ('kraken', 'BTC/USD', '2025-12-01 10:01:10', 'checksum_mismatch', 'kraken: checksum 1 != 2', '{}', 1),"
                        + " ('kraken', '', '2025-12-01 10:01:20', 'disconnected', 'connection lost', '{}', 1),"
                        + " ('kraken', 'BTC/USD', '2025-12-01 08:00:00', 'http_status', 'HTTP 500', '{}', 1),"
                        + " ('coinbase', 'ETH/USD', '2025-12-01 10:00:10', 'malformed', 'bad json', '{}', 1)");
    }

    private static void mid(
            String minute,
            String market,
            String exchange,
            String mid,
            int samples,
            String status,
            String spread)
            throws SQLException {
        ClickHouseTestServer.execute(
                "INSERT INTO mid_price_1m (window_start, market, exchange, mid, samples, best_bid, best_ask,"
                        + " spread_bps, book_status, good_ms, version) VALUES ('"
                        + minute
                        + "', '"
                        + market
                        + "', '"
                        + exchange
                        + "', "
                        + mid
                        + ", "
                        + samples
                        + ", toDecimal128('"
                        + mid
                        + "', 18) - 1, toDecimal128('"
                        + mid
                        + "', 18) + 1, "
                        + spread
                        + ", '"
                        + status
                        + "', 60000, 1)");
    }

    @Test
    void shouldListTheMarketsWithMids() throws Exception {
        assertThat(queries.markets())
                .extracting(r -> r.get("market"))
                .containsExactly("BTC/USD", "ETH/USD");
        // a market whose first minute has not closed yet, but whose books are in: its depth is live
        ClickHouseTestServer.execute(
                "INSERT INTO order_book_slices (exchange, market, received_at, side, prices, quantities, levels,"
                        + " cumulative_notional, vwap_100k, complete, version) VALUES"
                        + " ('kraken', 'SOL/USD', '2025-12-01 10:02:01', 'bid', [150], [1000], 1, 150000, 150, true, 1)");
        assertThat(queries.markets())
                .extracting(r -> r.get("market"))
                .containsExactly("BTC/USD", "ETH/USD", "SOL/USD");
    }

    @Test
    void shouldGiveMidsOfTheRangeBeforeTheLatestMinuteWithStatusAndExactText() throws Exception {
        List<Map<String, Object>> mids = queries.mids("BTC/USD", 15);
        assertThat(mids)
                .extracting(
                        r ->
                                r.get("window")
                                        + " "
                                        + r.get("exchange")
                                        + " "
                                        + r.get("mid")
                                        + " "
                                        + r.get("mid_display")
                                        + " "
                                        + r.get("samples")
                                        + " "
                                        + r.get("book_status"))
                .containsExactly(
                        T10 + " all 89999.2925 89999.29 8 ok",
                        T10 + " coinbase 90000.255 90000.26 4 ok",
                        T10 + " kraken 89998.33 89998.33 4 ok",
                        (T10 + 60_000) + " coinbase 90010.5 90010.5 2 stale_feed");
        assertThat(queries.mids("BTC/USD", 24 * 60)).hasSize(5); // 09:00 too
    }

    @Test
    void shouldGiveTheBestVenuesOfTheMarket() throws Exception {
        assertThat(queries.best("BTC/USD", 60))
                .extracting(
                        r ->
                                r.get("window")
                                        + " "
                                        + r.get("side")
                                        + " "
                                        + r.get("notional")
                                        + " "
                                        + r.get("exchange")
                                        + " "
                                        + r.get("avg_price")
                                        + " "
                                        + r.get("avg_price_display"))
                .containsExactly(
                        T10 + " buy 50000 coinbase 90012.2707 90012.27",
                        T10 + " sell 100000 kraken 89989.3126 89989.31");
    }

    @Test
    void shouldGiveSpreadOfUsableMinutesAndSlippageOfEachVenuesLatestQuotedMinute()
            throws Exception {
        assertThat(queries.spread("BTC/USD", 60))
                .extracting(
                        r ->
                                r.get("window")
                                        + " "
                                        + r.get("exchange")
                                        + " "
                                        + r.get("spread_bps")
                                        + " "
                                        + r.get("best_bid"))
                .containsExactly(
                        T10 + " coinbase 1.2 89999.255",
                        T10 + " kraken 2.5 89997.33",
                        (T10 + 60_000) + " coinbase 1.1 90009.5");
        assertThat(queries.slippage("BTC/USD"))
                .extracting(
                        r ->
                                r.get("exchange")
                                        + " "
                                        + r.get("side")
                                        + " "
                                        + r.get("notional")
                                        + " "
                                        + r.get("slippage_bps")
                                        + " "
                                        + r.get("avg_price")
                                        + " "
                                        + r.get("avg_price_display"))
                .containsExactly(
                        "coinbase buy 50000 1.33 90012.2707 90012.27",
                        "kraken sell 50000 111.5 89000 89000");
    }

    @Test
    void shouldGiveTheLatestSliceOfEachVenueAndSideWithExactCumulativeNotional() throws Exception {
        Map<String, Map<String, Object>> depth =
                queries.depth("BTC/USD").stream()
                        .collect(
                                Collectors.toMap(
                                        r -> r.get("exchange") + "/" + r.get("side"), r -> r));
        assertThat(depth).containsOnlyKeys("kraken/bid", "kraken/ask", "coinbase/bid");
        assertThat(depth.get("kraken/bid").get("received_at")).isEqualTo(T10 + 45_000);
        assertThat((Object[]) depth.get("kraken/bid").get("prices"))
                .containsExactly("89995.5", "89990");
        assertThat((Object[]) depth.get("kraken/bid").get("cumulative"))
                .containsExactly("44997.75", "157485.25");
        assertThat((Object[]) depth.get("kraken/ask").get("cumulative")).containsExactly("180002");
        assertThat(queries.depth("ETH/USD")).isEmpty();
    }

    @Test
    void shouldMergeTheVenuesSlicesIntoTheConsolidatedBook() throws Exception {
        Map<String, Map<String, Object>> all =
                queries.consolidatedDepth("BTC/USD").stream()
                        .collect(
                                Collectors.toMap(
                                        r -> r.get("exchange") + "/" + r.get("side"), r -> r));
        assertThat(all).containsOnlyKeys("all/bid", "all/ask");
        // bids best first: 89995.5 (0.5 kraken + 1 coinbase), 89990 (1.25 kraken), 89980 (3
        // coinbase)
        assertThat((Object[]) all.get("all/bid").get("prices"))
                .containsExactly("89995.5", "89990", "89980");
        assertThat((Object[]) all.get("all/bid").get("cumulative"))
                .containsExactly("134993.25", "247480.75", "517420.75");
        assertThat(all.get("all/bid").get("received_at")).isEqualTo(T10 + 50_000);
        assertThat((Object[]) all.get("all/ask").get("cumulative")).containsExactly("180002");
        assertThat(queries.consolidatedDepth("ETH/USD")).isEmpty();
    }

    @Test
    void shouldGiveFeedHealthPerVenue() throws Exception {
        assertThat(queries.health("BTC/USD"))
                .extracting(
                        r ->
                                r.get("exchange")
                                        + " "
                                        + r.get("book_status")
                                        + " "
                                        + r.get("last_window")
                                        + " "
                                        + r.get("last_data"))
                .containsExactly(
                        "coinbase stale_feed " + (T10 + 60_000) + " " + (T10 + 120_000),
                        "kraken checksum_mismatch " + (T10 + 60_000) + " " + (T10 + 120_000));
        // the hour before 10:02 (the latest window's end): the 08:00 error is older; the
        // market-less disconnect counts
        assertThat(queries.errorCounts("BTC/USD"))
                .extracting(
                        r -> r.get("exchange") + " " + r.get("error_type") + " " + r.get("errors"))
                .containsExactly("kraken checksum_mismatch 1", "kraken disconnected 1");
        assertThat(queries.latestErrors("BTC/USD"))
                .extracting(
                        r -> r.get("exchange") + " " + r.get("error_type") + " " + r.get("error"))
                .containsExactly(
                        "kraken disconnected connection lost",
                        "kraken checksum_mismatch kraken: checksum 1 != 2",
                        "kraken http_status HTTP 500");
    }

    @Test
    void shouldRefuseAMarketThatIsNotOne() {
        assertThatThrownBy(() -> queries.mids("BTC/USD' OR 1=1 --", 15))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
