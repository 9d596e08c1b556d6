package io.depthflow.clickhouse;

import io.depthflow.clickhouse.internal.RowBinders;
import io.depthflow.clickhouse.internal.TableSpec;
import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.sources.model.Arbitrage;
import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.model.LiquidityBand;
import io.depthflow.sources.model.RoutedExecution;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The liquidity views of migration V006 in the test ClickHouse, over rows bound by {@link
 * RowBinders} as the sinks bind them: the choices the views make (best all-in venue and its ties,
 * NULL best single venue, consolidated bands, seconds open), that a row written twice shows once,
 * that a row from fewer venues written later does not replace the complete one, and the routing
 * cost view's averages, recomputed here by hand.
 */
@ExtendWith(ClickHouseTestServer.class)
class LiquidityViewsITCase {

    private static final long MINUTE = 1_796_533_200_000L; // 2026-12-06T05:00:00Z

    @BeforeEach
    void emptyTables() throws Exception {
        ClickHouseTestServer.resetSchema();
    }

    @SafeVarargs
    private static <T> void write(TableSpec.Binder<T> binder, String sql, T... rows)
            throws Exception {
        try (Connection c = ClickHouseTestServer.connection();
                PreparedStatement ps = c.prepareStatement(sql)) {
            for (T row : rows) {
                binder.bind(ps, row);
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    private static ExecutionQuote quote(
            long window, String exchange, String side, String allIn, boolean complete, double fee) {
        ExecutionQuote q =
                new ExecutionQuote(
                        window,
                        exchange,
                        "BTC/USD",
                        side,
                        50_000,
                        true,
                        new BigDecimal("100"),
                        new BigDecimal("101"),
                        new BigDecimal("500"),
                        new BigDecimal("50000"),
                        2,
                        1.0,
                        window + 50_000);
        q.samples = 6;
        q.expectedSamples = 6;
        q.feeBps = fee;
        q.allInPrice = new BigDecimal(allIn);
        q.allInComplete = complete;
        return q;
    }

    private static void quotes(ExecutionQuote... q) throws Exception {
        write(RowBinders::executionQuote, RowBinders.EXECUTION_QUOTES_1M, q);
    }

    private static RoutedExecution routed(
            long window,
            String side,
            String price,
            String best,
            String bestPrice,
            String mid,
            String... venues) {
        RoutedExecution r = new RoutedExecution();
        r.windowStart = window;
        r.market = "BTC/USD";
        r.side = side;
        r.notional = 50_000;
        r.complete = true;
        r.allInPrice = new BigDecimal(price);
        r.cash = new BigDecimal("50000");
        r.baseQty = r.cash.divide(r.allInPrice, java.math.MathContext.DECIMAL128);
        r.legExchanges = new String[] {"coinbase", "kraken"};
        r.legCash = new BigDecimal[] {new BigDecimal("20000"), new BigDecimal("30000")};
        r.legBaseQty = new BigDecimal[] {new BigDecimal("0.2"), new BigDecimal("0.3")};
        r.legLevels = new int[] {2, 3};
        r.bestSingleExchange = best;
        r.bestSingleAllInPrice = bestPrice == null ? null : new BigDecimal(bestPrice);
        r.savingsBps = best == null ? 0 : 2.5;
        r.mid = new BigDecimal(mid);
        r.exchanges = venues;
        r.exchangeSamples = 6 * venues.length;
        r.expectedSamples = 6 * venues.length;
        r.expectedExchanges = 2;
        return r;
    }

    private static void routes(RoutedExecution... r) throws Exception {
        write(RowBinders::routedExecution, RowBinders.ROUTED_EXECUTION_1M, r);
    }

    @Test
    void shouldPickTheBestCompleteAllInVenueWithTiesByNameAndNoRowWhenNoneCompletes()
            throws Exception {
        quotes(
                quote(MINUTE, "coinbase", "buy", "100.2", true, 60),
                quote(MINUTE, "kraken", "buy", "100.1", true, 40),
                quote(
                        MINUTE,
                        "bitstamp",
                        "buy",
                        "99.9",
                        false,
                        30), // cheaper, but the book ran out
                quote(MINUTE, "kraken", "sell", "99.5", true, 40),
                quote(MINUTE, "coinbase", "sell", "99.5", true, 60), // a tie: ascending venue name
                quote(MINUTE + 60_000, "kraken", "buy", "100", false, 40));
        routes(routed(MINUTE, "buy", "100.05", "kraken", "100.1", "100", "coinbase", "kraken"));

        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT side, exchange, toString(all_in_price), fee_bps, candidates, toString(exchanges),"
                                        + " exchange_samples, expected_samples, expected_exchanges, partial"
                                        + " FROM bi_best_execution_all_in_1m ORDER BY window_start, side"))
                .containsExactly(
                        List.of(
                                "buy",
                                "kraken",
                                "100.1",
                                "40.0",
                                "2",
                                "['bitstamp','coinbase','kraken']",
                                "18",
                                "18",
                                "2",
                                "0"),
                        List.of(
                                "sell",
                                "coinbase",
                                "99.5",
                                "60.0",
                                "2",
                                "['coinbase','kraken']",
                                "12",
                                "12",
                                "0",
                                "0"));
    }

    @Test
    void shouldShowARouteOnceWithNullBestSingleAndKeepTheRouteOverMoreVenues() throws Exception {
        RoutedExecution both =
                routed(MINUTE, "buy", "100.05", null, null, "100", "coinbase", "kraken");
        routes(both);
        routes(both); // a replay
        routes(
                routed(
                        MINUTE, "buy", "100.3", "kraken", "100.3", "100",
                        "kraken")); // rebuilt from one venue, later
        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT complete, toString(all_in_price), toString(leg_exchanges), toString(leg_cash), toString(leg_base_qty),"
                                        + " best_single_exchange IS NULL, best_single_all_in_price IS NULL, savings_bps IS NULL,"
                                        + " toString(leg_levels), partial FROM bi_routed_execution_1m"))
                .containsExactly(
                        List.of(
                                "true",
                                "100.05",
                                "['coinbase','kraken']",
                                "[20000,30000]",
                                "[0.2,0.3]",
                                "1",
                                "1",
                                "1",
                                "[2,3]",
                                "0"));

        routes(
                routed(
                        MINUTE,
                        "buy",
                        "100.05",
                        "kraken",
                        "100.1",
                        "100",
                        "coinbase",
                        "kraken")); // as complete: replaces
        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT best_single_exchange, toString(best_single_all_in_price), savings_bps FROM bi_routed_execution_1m"))
                .containsExactly(List.of("kraken", "100.1", "2.5"));
    }

    @Test
    void shouldShowBandsPerVenueAndConsolidatedWithNullImbalanceOnAnEmptyBand() throws Exception {
        LiquidityBand all =
                band("all", 10, "3", "300", "1", "101", new String[] {"coinbase", "kraken"});
        all.imbalance = new BigDecimal("0.496240601503759398");
        all.samples = 2;
        all.exchangeSamples = 12;
        LiquidityBand empty = band("kraken", 10, "0", "0", "0", "0", new String[] {"kraken"});
        empty.imbalance = null;
        empty.samples = 5; // one poll short
        write(RowBinders::liquidityBand, RowBinders.LIQUIDITY_BANDS_1M, all, empty, all);
        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT exchange, band_bps, toString(bid_qty), toString(bid_notional), toString(ask_notional),"
                                        + " toString(imbalance), tw_bid_notional IS NULL, partial FROM bi_liquidity_1m ORDER BY exchange"))
                .containsExactly(
                        List.of("all", "10", "3", "300", "101", "0.496240601503759398", "1", "0"),
                        Arrays.asList("kraken", "10", "0", "0", "0", null, "1", "1"));
    }

    private static LiquidityBand band(
            String exchange,
            long bps,
            String bidQty,
            String bidNotional,
            String askQty,
            String askNotional,
            String[] venues) {
        LiquidityBand b = new LiquidityBand();
        b.windowStart = MINUTE;
        b.market = "BTC/USD";
        b.exchange = exchange;
        b.bandBps = bps;
        b.mid = new BigDecimal("100.5");
        b.bidQty = new BigDecimal(bidQty);
        b.bidNotional = new BigDecimal(bidNotional);
        b.askQty = new BigDecimal(askQty);
        b.askNotional = new BigDecimal(askNotional);
        b.samples = 6;
        b.exchanges = venues;
        b.exchangeSamples = 6;
        b.expectedSamples = 6 * venues.length;
        b.expectedExchanges = exchange.equals("all") ? 2 : 0;
        return b;
    }

    @Test
    void shouldShowDislocationsWithSecondsOpenOnlyWhenMeasured() throws Exception {
        Arbitrage poll = arbitrage("coinbase", "kraken", null);
        Arbitrage stream = arbitrage("kraken", "coinbase", 1_500L);
        write(RowBinders::arbitrage, RowBinders.ARBITRAGE_1M, poll, stream, poll);
        assertThat(
                        ClickHouseTestServer.query(
                                "SELECT buy_exchange, sell_exchange, toString(base_qty), toString(cost), toString(profit), profit_bps,"
                                        + " toString(seconds_open) FROM bi_arbitrage_1m ORDER BY buy_exchange"))
                .containsExactly(
                        Arrays.asList(
                                "coinbase",
                                "kraken",
                                "0.5",
                                "50.1",
                                "0.2",
                                "39.920159680638726",
                                null),
                        List.of(
                                "kraken",
                                "coinbase",
                                "0.5",
                                "50.1",
                                "0.2",
                                "39.920159680638726",
                                "1.5"));
    }

    private static Arbitrage arbitrage(String buy, String sell, Long openMs) {
        Arbitrage a = new Arbitrage();
        a.windowStart = MINUTE;
        a.market = "BTC/USD";
        a.buyExchange = buy;
        a.sellExchange = sell;
        a.baseQty = new BigDecimal("0.5");
        a.cost = new BigDecimal("50.1");
        a.profit = new BigDecimal("0.2");
        a.profitBps = 0.2 / 50.1 * 1e4;
        a.openMs = openMs;
        a.exchanges = new String[] {"coinbase", "kraken"};
        a.exchangeSamples = 12;
        a.goodMs = openMs == null ? 0 : 120_000;
        return a;
    }

    @Test
    void shouldAverageTheCostOfEachRoutingPolicyPerDay() throws Exception {
        // two buy minutes, mid 100: routed 100.05 and 100.02; best single kraken 100.1, then none
        quotes(
                quote(MINUTE, "coinbase", "buy", "100.2", true, 60),
                quote(MINUTE, "kraken", "buy", "100.1", true, 40),
                quote(MINUTE + 60_000, "coinbase", "buy", "100.4", false, 60),
                quote(MINUTE + 60_000, "kraken", "buy", "100.3", true, 40));
        routes(
                routed(MINUTE, "buy", "100.05", "kraken", "100.1", "100", "coinbase", "kraken"),
                routed(MINUTE + 60_000, "buy", "100.02", null, null, "100", "coinbase", "kraken"));
        List<List<String>> rows =
                ClickHouseTestServer.query(
                        "SELECT toString(day), side, notional, policy, exchange, round(avg_cost_bps, 9), minutes"
                                + " FROM bi_routing_cost_1d ORDER BY policy, exchange");
        assertThat(rows)
                .containsExactly(
                        List.of("2026-12-06", "buy", "50000", "best_single", "", "10.0", "1"),
                        List.of("2026-12-06", "buy", "50000", "routed", "", "3.5", "2"),
                        List.of("2026-12-06", "buy", "50000", "single", "coinbase", "20.0", "1"),
                        List.of("2026-12-06", "buy", "50000", "single", "kraken", "20.0", "2"));
    }
}
