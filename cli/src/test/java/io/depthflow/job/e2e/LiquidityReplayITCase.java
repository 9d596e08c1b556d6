package io.depthflow.job.e2e;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.job.cli.Main;
import io.depthflow.sources.capture.CaptureWriter;
import io.depthflow.sources.model.RawMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code bin/depthflow run --replay FILE --taker-fee-bps ... --bands ...} over a poll capture of
 * both venues and both markets, and every liquidity view compared with {@link
 * IndependentLiquidity}'s recomputation from the capture's raw payloads to 1e-9 relative, after
 * replaying the file twice (each key once).
 *
 * <p>The capture is written here, with seeded random books in the venues' REST formats, so that it
 * holds what the simulator never produces: venues crossing each other by more than the fees
 * (dislocations both ways), a venue too thin to fill the largest notional alone while the routed
 * split fills it (no best single venue), and a minute in which no venue is dislocated.
 */
@ExtendWith(ClickHouseTestServer.class)
class LiquidityReplayITCase {

    /** An hour ago, on a minute (raw_order_books keeps 30 days: stay recent). */
    private static final long START = (System.currentTimeMillis() / 60_000L) * 60_000L - 3_600_000L;

    static final long[] NOTIONALS = {10_000, 100_000, 1_000_000};
    static final int[] BANDS = {10, 25, 50};
    static final Map<String, BigDecimal> FEES =
            Map.of("coinbase", new BigDecimal("10"), "kraken", new BigDecimal("20"));

    @TempDir static Path dir;

    static Path capture;

    @BeforeAll
    static void writeCapture() throws Exception {
        capture = dir.resolve("liquidity.jsonl");
        SplittableRandom rnd = new SplittableRandom(2026);
        // kraken's mid against coinbase's, per minute: level, above by 0.6 % (buy coinbase, sell
        // kraken pays after 30 bps of fees), below by 0.5 %, level again
        double[] shift = {0.0, 0.006, -0.005, 0.0, 0.0002};
        try (CaptureWriter w = CaptureWriter.append(capture)) {
            for (int minute = 0; minute < shift.length; minute++) {
                for (int poll = 0; poll < 4; poll++) {
                    long t = START + minute * 60_000L + poll * 15_000L + 1_000L;
                    for (String market : List.of("BTC/USD", "ETH/USD")) {
                        double base = market.equals("BTC/USD") ? 90_000 : 3_000;
                        double unit = market.equals("BTC/USD") ? 0.2 : 6.0;
                        double drift = 1 + 0.0002 * rnd.nextDouble(-1, 1);
                        w.write(message("coinbase", market, t, base * drift, unit, rnd));
                        w.write(
                                message(
                                        "kraken",
                                        market,
                                        t + 7,
                                        base * drift * (1 + shift[minute]),
                                        unit,
                                        rnd));
                    }
                }
            }
        }
    }

    /** A REST book response of {@code exchange}: 40 levels a side around {@code mid}. */
    private static RawMessage message(
            String exchange, String market, long t, double mid, double unit, SplittableRandom rnd) {
        List<String[]> bids = new ArrayList<>();
        List<String[]> asks = new ArrayList<>();
        BigDecimal m = BigDecimal.valueOf(mid).setScale(2, RoundingMode.HALF_EVEN);
        BigDecimal tick =
                m.multiply(new BigDecimal("0.0001"))
                        .setScale(2, RoundingMode.HALF_EVEN)
                        .max(new BigDecimal("0.01"));
        BigDecimal bid = m.subtract(tick);
        BigDecimal ask = m.add(tick);
        for (int i = 0; i < 40; i++) {
            bids.add(new String[] {bid.toPlainString(), size(unit, rnd)});
            asks.add(new String[] {ask.toPlainString(), size(unit, rnd)});
            BigDecimal step = tick.multiply(BigDecimal.valueOf(1 + rnd.nextInt(4)));
            bid = bid.subtract(step);
            ask = ask.add(tick.multiply(BigDecimal.valueOf(1 + rnd.nextInt(4))));
        }
        String payload;
        if (exchange.equals("coinbase")) {
            payload =
                    "{\"bids\":"
                            + levels(bids, ",1")
                            + ",\"asks\":"
                            + levels(asks, ",1")
                            + ",\"sequence\":"
                            + t
                            + "}";
        } else {
            String pair = market.equals("BTC/USD") ? "XXBTZUSD" : "XETHZUSD";
            String stamp = "," + t / 1000;
            payload =
                    "{\"error\":[],\"result\":{\""
                            + pair
                            + "\":{\"asks\":"
                            + levels(asks, stamp)
                            + ",\"bids\":"
                            + levels(bids, stamp)
                            + "}}}";
        }
        return RawMessage.restResponse(exchange, market, t, 200, payload);
    }

    private static String size(double unit, SplittableRandom rnd) {
        return BigDecimal.valueOf(unit * rnd.nextDouble(0.25, 1.75))
                .setScale(8, RoundingMode.HALF_EVEN)
                .toPlainString();
    }

    private static String levels(List<String[]> levels, String tail) {
        StringBuilder s = new StringBuilder("[");
        for (String[] l : levels) {
            if (s.length() > 1) {
                s.append(',');
            }
            s.append("[\"")
                    .append(l[0])
                    .append("\",\"")
                    .append(l[1])
                    .append('"')
                    .append(tail)
                    .append(']');
        }
        return s.append(']').toString();
    }

    @Test
    void shouldMatchAnIndependentRecomputationInEveryLiquidityViewOnceAfterTwoReplays()
            throws Exception {
        ClickHouseTestServer.resetSchema();
        for (int run = 0; run < 2; run++) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code =
                    Main.execute(
                            new String[] {
                                "run",
                                "--replay",
                                capture.toString(),
                                "--clickhouse-url",
                                ClickHouseTestServer.jdbcUrl(),
                                "--web-port",
                                "0",
                                "--no-dashboard",
                                "--quiet",
                                "--notionals",
                                "10000,100000,1000000",
                                "--bands",
                                "10,25,50",
                                "--taker-fee-bps",
                                "coinbase=10,kraken=20"
                            },
                            new PrintStream(
                                    new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                            new PrintStream(err, true, StandardCharsets.UTF_8));
            assertThat(code).as("exit code; stderr: %s", err).isZero();
        }
        IndependentLiquidity expected =
                IndependentLiquidity.of(
                        IndependentLiquidity.lastBooks(
                                Files.readAllLines(capture, StandardCharsets.UTF_8)),
                        FEES,
                        BANDS,
                        NOTIONALS);
        // what the capture was written to hold
        assertThat(expected.arbitrage.keySet())
                .anyMatch(k -> k.endsWith("|coinbase|kraken"))
                .anyMatch(k -> k.endsWith("|kraken|coinbase"));
        assertThat(expected.routes.values())
                .anyMatch(r -> Boolean.TRUE.equals(r.get(0)) && r.get(6) == null);
        assertThat(expected.routes.values())
                .anyMatch(r -> r.get(6) != null && ((List<?>) r.get(3)).size() == 2);
        assertLiquidityViewsMatch(expected);
    }

    /** Every liquidity view holds exactly the expected rows, once each, to 1e-9 relative. */
    static void assertLiquidityViewsMatch(IndependentLiquidity expected) throws Exception {
        assertRows(
                "bi_best_execution_all_in_1m",
                "SELECT toUnixTimestamp64Milli(window_start), market, side, notional, exchange, toString(all_in_price), fee_bps,"
                        + " count() OVER (PARTITION BY window_start, market, side, notional) FROM bi_best_execution_all_in_1m",
                4,
                expected.bestAllIn);
        assertRows(
                "execution_quotes_1m (all-in)",
                "SELECT toUnixTimestamp64Milli(window_start), market, exchange, side, notional, toString(all_in_price), all_in_complete,"
                        + " count() OVER (PARTITION BY window_start, market, exchange, side, notional) FROM execution_quotes_1m FINAL",
                5,
                expected.allIn);
        assertRows(
                "bi_routed_execution_1m",
                "SELECT toUnixTimestamp64Milli(window_start), market, side, notional, complete, toString(all_in_price), toString(base_qty),"
                        + " arrayStringConcat(leg_exchanges, ','), arrayStringConcat(arrayMap(x -> toString(x), leg_cash), ','),"
                        + " arrayStringConcat(arrayMap(x -> toString(x), leg_base_qty), ','),"
                        + " best_single_exchange, toString(best_single_all_in_price), toString(savings_bps),"
                        + " count() OVER (PARTITION BY window_start, market, side, notional) FROM bi_routed_execution_1m",
                4,
                expected.routes);
        assertRows(
                "bi_liquidity_1m",
                "SELECT toUnixTimestamp64Milli(window_start), market, exchange, band_bps, toString(bid_qty), toString(bid_notional),"
                        + " toString(ask_qty), toString(ask_notional), toString(imbalance),"
                        + " count() OVER (PARTITION BY window_start, market, exchange, band_bps) FROM bi_liquidity_1m",
                4,
                expected.bands);
        assertRows(
                "bi_arbitrage_1m",
                "SELECT toUnixTimestamp64Milli(window_start), market, buy_exchange, sell_exchange, toString(base_qty), toString(cost),"
                        + " toString(profit), toString(profit_bps),"
                        + " count() OVER (PARTITION BY window_start, market, buy_exchange, sell_exchange) FROM bi_arbitrage_1m",
                4,
                expected.arbitrage);
        assertRows(
                "bi_routing_cost_1d",
                "SELECT toString(day), market, side, notional, policy, exchange, toString(avg_cost_bps), minutes,"
                        + " count() OVER (PARTITION BY day, market, side, notional, policy, exchange) FROM bi_routing_cost_1d",
                6,
                expected.cost);
    }

    /**
     * The query's rows (key columns first, then values, then a count per key that must be 1) equal
     * {@code expected}: the same keys, texts equal, numbers within 1e-9 relative (against 1 for
     * numbers near 0, such as savings of a fraction of a bp), lists element by element.
     */
    static void assertRows(
            String view, String sql, int keyColumns, Map<String, List<Object>> expected)
            throws Exception {
        Map<String, List<String>> actual = new TreeMap<>();
        for (List<String> r : ClickHouseTestServer.query(sql)) {
            assertThat(r.get(r.size() - 1)).as("%s: rows per key %s", view, r).isEqualTo("1");
            actual.put(
                    String.join("|", r.subList(0, keyColumns)),
                    r.subList(keyColumns, r.size() - 1));
        }
        assertThat(actual.keySet()).as(view).isEqualTo(expected.keySet());
        expected.forEach(
                (k, values) -> {
                    List<String> got = actual.get(k);
                    assertThat(got).as("%s %s", view, k).hasSameSizeAs(values);
                    for (int i = 0; i < values.size(); i++) {
                        assertValue(view + " " + k + " column " + i, got.get(i), values.get(i));
                    }
                });
    }

    private static void assertValue(String what, String actual, Object expected) {
        if (expected == null) {
            assertThat(actual).as(what).isNull();
        } else if (expected instanceof BigDecimal e) {
            assertClose(what, new BigDecimal(actual), e);
        } else if (expected instanceof Boolean b) {
            assertThat(actual).as(what).isEqualTo(b.toString());
        } else if (expected instanceof List<?> list) {
            String[] parts = actual.isEmpty() ? new String[0] : actual.split(",");
            assertThat(parts).as(what).hasSize(list.size());
            for (int i = 0; i < parts.length; i++) {
                assertValue(what + "[" + i + "]", parts[i], list.get(i));
            }
        } else {
            assertThat(actual).as(what).isEqualTo(expected.toString());
        }
    }

    private static void assertClose(String what, BigDecimal actual, BigDecimal expected) {
        BigDecimal scale = expected.abs().max(BigDecimal.ONE);
        BigDecimal rel = actual.subtract(expected).abs().divide(scale, MathContext.DECIMAL64);
        assertThat(rel)
                .as("%s: %s vs expected %s", what, actual, expected)
                .isLessThanOrEqualTo(new BigDecimal("1e-9"));
    }
}
