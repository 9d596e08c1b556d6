package io.depthflow.job.e2e;

import io.depthflow.clickhouse.testing.ClickHouseTestServer;
import io.depthflow.job.functions.MinuteBookAggregator;
import io.depthflow.sources.capture.CaptureFormat;
import io.depthflow.sources.model.RawMessage;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the fault tests read from the shared test ClickHouse: the BI views, the completeness columns
 * behind them, and the raw payloads, which give (through {@link IndependentCalculation}) what the
 * same input yields without a fault. Keys are {@code window_ms|market|exchange}.
 */
final class BiViews {

    static final long MINUTE = MinuteBookAggregator.WINDOW_MS;
    static final List<String> MARKETS = List.of("BTC/USD", "ETH/USD");
    static final List<String> BOOKS = List.of("coinbase", "kraken");

    private BiViews() {}

    /** The latest window with all six mids (3 exchanges x 2 markets); null when there is none. */
    static Long lastCompleteWindow() throws Exception {
        List<List<String>> r =
                ClickHouseTestServer.query(
                        "SELECT toUnixTimestamp64Milli(window_start) AS w FROM bi_mid_price_1m GROUP BY w"
                                + " HAVING count() = 6 ORDER BY w DESC LIMIT 1");
        return r.isEmpty() ? null : Long.parseLong(r.get(0).get(0));
    }

    /** Waits until the views hold a complete minute at or after {@code window}. */
    static long awaitCompleteWindowFrom(long window, int timeoutSeconds) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        while (true) {
            Long last = lastCompleteWindow();
            if (last != null && last >= window) {
                return last;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(
                        "no complete minute from "
                                + Instant.ofEpochMilli(window)
                                + " within "
                                + timeoutSeconds
                                + " s; last complete: "
                                + (last == null ? "none" : Instant.ofEpochMilli(last)));
            }
            Thread.sleep(200);
        }
    }

    /** Rows per (window, market, exchange) through {@code bi_mid_price_1m}. */
    static Map<String, Integer> midRowCounts() throws Exception {
        Map<String, Integer> rows = new TreeMap<>();
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT toUnixTimestamp64Milli(window_start), market, exchange, count() FROM bi_mid_price_1m"
                                + " GROUP BY window_start, market, exchange")) {
            rows.put(r.get(0) + "|" + r.get(1) + "|" + r.get(2), Integer.parseInt(r.get(3)));
        }
        return rows;
    }

    /** The mids of {@code bi_mid_price_1m}. */
    static Map<String, BigDecimal> mids() throws Exception {
        Map<String, BigDecimal> mids = new TreeMap<>();
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT toUnixTimestamp64Milli(window_start), market, exchange, toString(mid) FROM bi_mid_price_1m")) {
            mids.put(r.get(0) + "|" + r.get(1) + "|" + r.get(2), new BigDecimal(r.get(3)));
        }
        return mids;
    }

    /**
     * {@code samples} of every per-exchange row of {@code mid_price_1m} as the views see it
     * (FINAL).
     */
    static Map<String, Long> samples() throws Exception {
        Map<String, Long> samples = new TreeMap<>();
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT toUnixTimestamp64Milli(window_start), market, exchange, samples FROM mid_price_1m FINAL"
                                + " WHERE exchange != 'all'")) {
            samples.put(r.get(0) + "|" + r.get(1) + "|" + r.get(2), Long.parseLong(r.get(3)));
        }
        return samples;
    }

    /**
     * Each of {@code minutes} is recorded, for every book, as a minute nothing observed: {@code
     * mid_price_1m} holds a row with {@code samples} 0 and {@code book_status} {@code no_data}
     * (which the BI view leaves out), and an {@code ingest_errors} row of type {@code gap} starting
     * at or before it says so in words.
     */
    static void assertRecordedAsGaps(List<Long> minutes) throws Exception {
        for (long w : minutes) {
            for (String market : MARKETS) {
                for (String exchange : BOOKS) {
                    String book = "exchange = '" + exchange + "' AND market = '" + market + "'";
                    assertThat(
                                    ClickHouseTestServer.query(
                                            "SELECT samples, book_status FROM mid_price_1m FINAL WHERE "
                                                    + book
                                                    + " AND toUnixTimestamp64Milli(window_start) = "
                                                    + w))
                            .as(
                                    "mid_price_1m of %s %s %s, a minute nothing observed",
                                    Instant.ofEpochMilli(w), market, exchange)
                            .containsExactly(List.of("0", MinuteBookAggregator.NO_DATA));
                    assertThat(
                                    ClickHouseTestServer.query(
                                            "SELECT error FROM ingest_errors FINAL WHERE error_type = 'gap' AND "
                                                    + book
                                                    + " AND toUnixTimestamp64Milli(received_at) <= "
                                                    + w))
                            .as(
                                    "the gap row of %s %s covering %s",
                                    market, exchange, Instant.ofEpochMilli(w))
                            .isNotEmpty()
                            .allSatisfy(r -> assertThat(r.get(0)).startsWith("no data: "));
                }
            }
        }
    }

    /** Usable polls of one book received in [from, to): responses the job did not report late. */
    static long polls(String exchange, String market, long from, long to) throws Exception {
        return Long.parseLong(
                ClickHouseTestServer.query(
                                "SELECT count() FROM raw_order_books FINAL WHERE exchange = '"
                                        + exchange
                                        + "' AND market = '"
                                        + market
                                        + "' AND http_status = 200 AND toUnixTimestamp64Milli(received_at) >= "
                                        + from
                                        + " AND toUnixTimestamp64Milli(received_at) < "
                                        + to
                                        + " AND (exchange, market, received_at) NOT IN (SELECT exchange, market, received_at"
                                        + " FROM ingest_errors FINAL WHERE error_type = 'late')")
                        .get(0)
                        .get(0));
    }

    /**
     * Every response in the bronze table, as capture lines, minus snapshots the job reported late.
     */
    static List<String> rawCapture() throws Exception {
        List<String> lines = new ArrayList<>();
        for (List<String> r :
                ClickHouseTestServer.query(
                        "SELECT exchange, market, toUnixTimestamp64Milli(received_at), http_status, payload FROM raw_order_books FINAL"
                                + " WHERE (exchange, market, received_at) NOT IN"
                                + " (SELECT exchange, market, received_at FROM ingest_errors FINAL WHERE error_type = 'late')"
                                + " ORDER BY received_at")) {
            lines.add(
                    CaptureFormat.encode(
                            RawMessage.restResponse(
                                    r.get(0),
                                    r.get(1),
                                    Long.parseLong(r.get(2)),
                                    Integer.parseInt(r.get(3)),
                                    r.get(4))));
        }
        return lines;
    }

    /**
     * Every mid of the views in [from, to] is what an independent calculation over the raw payloads
     * gives for it (the run without a fault over the same input), and no expected mid is missing.
     */
    static void assertMidsMatchTheRawPayloads(long from, long to) throws Exception {
        IndependentCalculation expected =
                IndependentCalculation.of(
                        rawCapture(), IndependentCalculation.jobDefaultNotionals());
        Map<String, BigDecimal> actual = inRange(mids(), from, to);
        Map<String, BigDecimal> wanted = inRange(expected.mids, from, to);
        assertThat(actual.keySet()).as("mids in the views").isEqualTo(wanted.keySet());
        wanted.forEach((k, v) -> assertClose(k, actual.get(k), v));
    }

    static <V> Map<String, V> inRange(Map<String, V> byWindowKey, long from, long to) {
        Map<String, V> out = new TreeMap<>();
        byWindowKey.forEach(
                (k, v) -> {
                    long w = Long.parseLong(k.substring(0, k.indexOf('|')));
                    if (w >= from && w <= to) {
                        out.put(k, v);
                    }
                });
        return out;
    }

    static void assertClose(String key, BigDecimal actual, BigDecimal expected) {
        assertThat(actual).as("%s", key).isNotNull();
        BigDecimal rel =
                actual.subtract(expected).abs().divide(expected.abs(), MathContext.DECIMAL64);
        assertThat(rel)
                .as("%s: %s vs expected %s", key, actual, expected)
                .isLessThanOrEqualTo(new BigDecimal("1e-9"));
    }
}
