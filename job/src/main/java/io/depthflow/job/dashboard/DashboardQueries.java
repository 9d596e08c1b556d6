package io.depthflow.job.dashboard;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;

/**
 * Every query of the dashboard, in one place. They read the stable BI views ({@code
 * bi_mid_price_1m}, {@code bi_best_execution_1m}) and the documented tables ({@code mid_price_1m}
 * for samples, book status and spread, {@code execution_quotes_1m} for slippage, {@code
 * order_book_slices} for depth, {@code ingest_errors} for feed health). Prices and sizes leave
 * ClickHouse as decimal text ({@code toString}); the page plots them and shows them as given.
 *
 * <p>Time ranges end at the market's latest minute in {@code mid_price_1m}, not at the wall clock,
 * so a replay of an old capture (or a run on a fast clock) shows its own last hour. A value column
 * named {@code *_display} is the same number rounded half-even to 2 decimals in SQL, for the eye;
 * {@code data-value} on the page carries the exact one.
 */
public final class DashboardQueries {

    /** What a market parameter may be: {@code BTC/USD}. */
    public static final Pattern MARKET = Pattern.compile("[A-Z0-9]{1,12}/[A-Z0-9]{1,12}");

    /** The end of a market's data: its latest window's end (epoch ms), or now without data. */
    private static final String ANCHOR =
            "(SELECT if(count() = 0, now64(3, 'UTC'), max(window_start) + INTERVAL 1 MINUTE)"
                    + " FROM mid_price_1m FINAL WHERE market = {market:String})";

    /**
     * Markets with a mid, or with a slice already (the depth charts are live before the first
     * minute closes).
     */
    static final String MARKETS =
            "SELECT market FROM (SELECT DISTINCT market FROM bi_mid_price_1m"
                    + " UNION DISTINCT SELECT DISTINCT market FROM order_book_slices) ORDER BY market";

    /**
     * Mid per venue and {@code all} per minute over the range, with the minute's samples and book
     * status: a row with status other than {@code ok} is a partial minute; a minute without a row
     * is missing.
     */
    static final String MIDS =
            "SELECT toUnixTimestamp64Milli(v.window_start) AS window, v.exchange AS exchange, toString(v.mid) AS mid,"
                    + " toString(toDecimal128(round(v.mid, 2), 2)) AS mid_display, t.samples AS samples, t.book_status AS book_status"
                    + " FROM bi_mid_price_1m AS v"
                    + " LEFT JOIN (SELECT window_start, exchange, samples, book_status FROM mid_price_1m FINAL WHERE market = {market:String}) AS t"
                    + " ON v.window_start = t.window_start AND v.exchange = t.exchange"
                    + " WHERE v.market = {market:String} AND v.window_start >= "
                    + ANCHOR
                    + " - toIntervalMinute({minutes:UInt32})"
                    + " ORDER BY window, exchange";

    /** The best venue and its average price per minute, side and notional, over the range. */
    static final String BEST =
            "SELECT toUnixTimestamp64Milli(b.window_start) AS window, b.side AS side, b.notional AS notional, b.exchange AS exchange,"
                    + " toString(b.avg_price) AS avg_price, toString(toDecimal128(round(b.avg_price, 2), 2)) AS avg_price_display"
                    + " FROM bi_best_execution_1m AS b"
                    + " WHERE b.market = {market:String} AND b.window_start >= "
                    + ANCHOR
                    + " - toIntervalMinute({minutes:UInt32})"
                    + " ORDER BY window, side, notional";

    /** Spread (bps) per venue and minute over the range, with best bid and ask. */
    static final String SPREAD =
            "SELECT toUnixTimestamp64Milli(s.window_start) AS window, s.exchange AS exchange, s.spread_bps AS spread_bps,"
                    + " toString(s.best_bid) AS best_bid, toString(s.best_ask) AS best_ask"
                    + " FROM mid_price_1m AS s FINAL"
                    + " WHERE s.market = {market:String} AND s.exchange != 'all' AND s.samples > 0"
                    + " AND s.window_start >= "
                    + ANCHOR
                    + " - toIntervalMinute({minutes:UInt32})"
                    + " ORDER BY window, exchange";

    /**
     * Slippage (bps from the mid) per venue, side and notional in each venue's latest quoted
     * minute.
     */
    static final String SLIPPAGE =
            "SELECT toUnixTimestamp64Milli(e.window_start) AS window, e.exchange AS exchange, e.side AS side, e.notional AS notional,"
                    + " e.complete AS complete, e.slippage_bps AS slippage_bps, toString(e.avg_price) AS avg_price,"
                    + " toString(toDecimal128(round(e.avg_price, 2), 2)) AS avg_price_display"
                    + " FROM execution_quotes_1m AS e FINAL"
                    + " WHERE e.market = {market:String}"
                    + " AND (e.exchange, e.window_start) IN"
                    + " (SELECT exchange, max(window_start) FROM execution_quotes_1m WHERE market = {market:String} GROUP BY exchange)"
                    + " ORDER BY exchange, side, notional";

    /**
     * Depth: each venue's latest $100k slice per side, with the cumulative notional at each level
     * (best first). Cumulative sums run in Decimal256, exact.
     */
    static final String DEPTH =
            "SELECT exchange, side, toUnixTimestamp64Milli(t) AS received_at,"
                    + " arrayMap(p -> toString(p), ps) AS prices,"
                    + " arrayMap(c -> toString(c), arrayCumSum(arrayMap((p, q) -> toDecimal256(p, 18) * toDecimal256(q, 18), ps, qs))) AS cumulative"
                    + " FROM (SELECT exchange, side, max(received_at) AS t, argMax(prices, received_at) AS ps, argMax(quantities, received_at) AS qs"
                    + "       FROM order_book_slices FINAL WHERE market = {market:String} GROUP BY exchange, side)"
                    + " ORDER BY exchange, side";

    /**
     * The consolidated book ({@code exchange = 'all'}): the levels of every venue's latest slice
     * per side merged by price, with the cumulative notional from the best price outwards. It
     * covers each venue's $100k prefix only, so it is complete up to the price where the shallowest
     * venue's slice ends.
     */
    static final String DEPTH_ALL =
            "SELECT 'all' AS exchange, side, toUnixTimestamp64Milli(max(t)) AS received_at,"
                    + " arrayMap(x -> toString(x.2), arraySort(x -> x.1, groupArray((k, price, cum)))) AS prices,"
                    + " arrayMap(x -> toString(x.3), arraySort(x -> x.1, groupArray((k, price, cum)))) AS cumulative"
                    + " FROM (SELECT side, price, k, t,"
                    + "         sum(n) OVER (PARTITION BY side ORDER BY k ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cum"
                    + "       FROM (SELECT side, price, if(side = 'bid', -price, price) AS k, max(t) AS t,"
                    + "               sum(toDecimal256(price, 18) * toDecimal256(qty, 18)) AS n"
                    + "             FROM (SELECT exchange, side, max(received_at) AS t, argMax(prices, received_at) AS ps,"
                    + "                     argMax(quantities, received_at) AS qs"
                    + "                   FROM order_book_slices FINAL WHERE market = {market:String} GROUP BY exchange, side)"
                    + "             ARRAY JOIN ps AS price, qs AS qty"
                    + "             GROUP BY side, price))"
                    + " GROUP BY side ORDER BY side";

    /**
     * Feed health per venue: the latest data time (latest slice or mid window end), the book status
     * of the latest minute, and the errors of the hour before the anchor.
     */
    static final String HEALTH =
            "SELECT m.exchange AS exchange, toUnixTimestamp64Milli(greatest(m.last_window + INTERVAL 1 MINUTE, ifNull(s.last_slice, toDateTime64(0, 3, 'UTC')))) AS last_data,"
                    + " m.book_status AS book_status, toUnixTimestamp64Milli(m.last_window) AS last_window"
                    + " FROM (SELECT exchange, max(window_start) AS last_window, argMax(book_status, window_start) AS book_status"
                    + "       FROM mid_price_1m FINAL WHERE market = {market:String} AND exchange != 'all' GROUP BY exchange) AS m"
                    + " LEFT JOIN (SELECT exchange, max(received_at) AS last_slice FROM order_book_slices"
                    + "       WHERE market = {market:String} GROUP BY exchange) AS s ON m.exchange = s.exchange"
                    + " ORDER BY exchange";

    /**
     * Error counts per venue and type in the hour before the anchor (rows of the market or of no
     * market).
     */
    static final String ERROR_COUNTS =
            "SELECT exchange, error_type, count() AS errors FROM ingest_errors FINAL"
                    + " WHERE market IN ({market:String}, '') AND received_at >= "
                    + ANCHOR
                    + " - INTERVAL 1 HOUR"
                    + " GROUP BY exchange, error_type ORDER BY exchange, error_type";

    /** The latest errors (newest first) with their messages. */
    static final String LATEST_ERRORS =
            "SELECT exchange, toUnixTimestamp64Milli(received_at) AS received_at, error_type, error FROM ingest_errors FINAL"
                    + " WHERE market IN ({market:String}, '')"
                    + " ORDER BY received_at DESC, exchange LIMIT 10";

    private final String jdbcUrl;
    private final Properties auth;

    public DashboardQueries(String jdbcUrl, Properties auth) {
        this.jdbcUrl = jdbcUrl;
        this.auth = auth;
    }

    public List<Map<String, Object>> markets() throws SQLException {
        return rows(MARKETS, null, 0);
    }

    public List<Map<String, Object>> mids(String market, int minutes) throws SQLException {
        return rows(MIDS, market, minutes);
    }

    public List<Map<String, Object>> best(String market, int minutes) throws SQLException {
        return rows(BEST, market, minutes);
    }

    public List<Map<String, Object>> spread(String market, int minutes) throws SQLException {
        return rows(SPREAD, market, minutes);
    }

    public List<Map<String, Object>> slippage(String market) throws SQLException {
        return rows(SLIPPAGE, market, 0);
    }

    public List<Map<String, Object>> depth(String market) throws SQLException {
        return rows(DEPTH, market, 0);
    }

    /** The consolidated book: as {@link #depth}, one row per side with {@code exchange = 'all'}. */
    public List<Map<String, Object>> consolidatedDepth(String market) throws SQLException {
        return rows(DEPTH_ALL, market, 0);
    }

    public List<Map<String, Object>> health(String market) throws SQLException {
        return rows(HEALTH, market, 0);
    }

    public List<Map<String, Object>> errorCounts(String market) throws SQLException {
        return rows(ERROR_COUNTS, market, 0);
    }

    public List<Map<String, Object>> latestErrors(String market) throws SQLException {
        return rows(LATEST_ERRORS, market, 0);
    }

    /**
     * Runs {@code sql} with {@code {market:String}} and {@code {minutes:UInt32}} replaced by
     * literals. The market must match {@link #MARKET} (letters, digits, one slash), checked here,
     * so no other text can reach the SQL.
     */
    private List<Map<String, Object>> rows(String sql, String market, int minutes)
            throws SQLException {
        if (market != null && !MARKET.matcher(market).matches()) {
            throw new IllegalArgumentException("not a market: " + market);
        }
        String bound =
                sql.replace("{market:String}", market == null ? "''" : "'" + market + "'")
                        .replace("{minutes:UInt32}", String.valueOf(Math.max(0, minutes)));
        try (Connection c = DriverManager.getConnection(jdbcUrl, auth);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(bound)) {
            ResultSetMetaData md = rs.getMetaData();
            List<Map<String, Object>> out = new ArrayList<>();
            while (rs.next()) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 1; i <= md.getColumnCount(); i++) {
                    Object v = rs.getObject(i);
                    if (v instanceof java.sql.Array) {
                        v = ((java.sql.Array) v).getArray();
                    } else if (v instanceof java.math.BigInteger
                            || v instanceof java.math.BigDecimal) {
                        v = v.toString();
                    }
                    row.put(md.getColumnLabel(i), v);
                }
                out.add(row);
            }
            return out;
        }
    }
}
