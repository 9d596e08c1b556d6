package io.depthflow.clickhouse.internal;

import org.apache.flink.annotation.Internal;

import io.depthflow.sources.model.Arbitrage;
import io.depthflow.sources.model.BestExecution;
import io.depthflow.sources.model.BookSlice;
import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.LiquidityBand;
import io.depthflow.sources.model.MidPrice;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.model.RoutedExecution;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Instant;

/**
 * The INSERT statement of each table of migration V001 and the function that binds one model object
 * to it; used by {@link io.depthflow.clickhouse.ClickHouseSinks}.
 *
 * <p>How values are bound, and why (checked against clickhouse-jdbc 0.9.9, which renders a batch as
 * one {@code INSERT ... VALUES} text):
 *
 * <ul>
 *   <li>Timestamps: epoch milliseconds as an {@link Instant}; the driver sends {@code
 *       fromUnixTimestamp64Nano(n)}, so the JVM's time zone never matters.
 *   <li>{@code Decimal(38, 18)}: a {@link BigDecimal}; arrays of it: a {@code BigDecimal[]}. Exact,
 *       including values the driver prints in E-notation ({@code 1E-18}). A value with more than 18
 *       fraction digits is rounded half-even at the 18th, as the schema specifies for derived
 *       values; one with more than 20 integer digits does not fit and is rejected.
 *   <li>{@code version}: {@link RowVersions}: for the gold tables the row's completeness above
 *       {@link System#currentTimeMillis()} when the row is bound, so a more complete row of a key
 *       wins under {@code FINAL} and the latest write among equally complete ones; for the other
 *       tables the write time alone.
 *   <li>A null where the table has a non-nullable column is a bug upstream and is rejected with an
 *       {@link IllegalArgumentException} (ClickHouse would silently store 0 or ''); so is an
 *       integer outside its unsigned column's range (ClickHouse would store it modulo the range).
 * </ul>
 */
@Internal
public final class RowBinders {

    public static final String RAW_ORDER_BOOKS =
            "INSERT INTO raw_order_books"
                    + " (exchange, market, kind, received_at, http_status, payload, payload_hash, version)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    public static final String INGEST_ERRORS =
            "INSERT INTO ingest_errors"
                    + " (exchange, market, received_at, error_type, error, payload, version, source)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";

    public static final String ORDER_BOOK_SLICES =
            "INSERT INTO order_book_slices"
                    + " (exchange, market, received_at, side, prices, quantities, levels,"
                    + " cumulative_notional, vwap_100k, complete, version)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    public static final String MID_PRICE_1M =
            "INSERT INTO mid_price_1m (window_start, market, exchange, mid, samples, best_bid,"
                    + " best_ask, spread_bps, book_status, good_ms, expected_samples, exchanges,"
                    + " exchange_samples, expected_exchanges, version)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    public static final String EXECUTION_QUOTES_1M =
            "INSERT INTO execution_quotes_1m (window_start, exchange, market, side, notional,"
                    + " complete, avg_price, worst_price, base_qty, filled_notional, levels,"
                    + " slippage_bps, book_time, samples, expected_samples, good_ms, version,"
                    + " fee_bps, all_in_price, all_in_complete)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    public static final String BEST_EXECUTION_1M =
            "INSERT INTO best_execution_1m (window_start, market, side, notional, exchange,"
                    + " avg_price, candidates, exchanges, exchange_samples, expected_samples, good_ms,"
                    + " expected_exchanges, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    public static final String ROUTED_EXECUTION_1M =
            "INSERT INTO routed_execution_1m (window_start, market, side, notional, complete, all_in_price,"
                    + " base_qty, cash, leg_exchanges, leg_cash, leg_base_qty, leg_levels, best_single_exchange,"
                    + " best_single_all_in_price, savings_bps, mid, exchanges, exchange_samples, expected_samples,"
                    + " good_ms, expected_exchanges, version)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    public static final String LIQUIDITY_BANDS_1M =
            "INSERT INTO liquidity_bands_1m (window_start, market, exchange, band_bps, mid, bid_qty,"
                    + " bid_notional, ask_qty, ask_notional, imbalance, tw_bid_notional, tw_ask_notional,"
                    + " samples, exchanges, exchange_samples, expected_samples, good_ms, expected_exchanges, version)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    public static final String ARBITRAGE_1M =
            "INSERT INTO arbitrage_1m (window_start, market, buy_exchange, sell_exchange, base_qty, cost,"
                    + " profit, profit_bps, open_ms, exchanges, exchange_samples, expected_samples, good_ms,"
                    + " expected_exchanges, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    /** Decimal(38, 18): 38 digits, 18 of them after the point. */
    private static final int SCALE = 18;

    private static final int INTEGER_DIGITS = 38 - SCALE;

    private RowBinders() {}

    /**
     * Binds a {@link RawMessage} that has a response ({@link RawMessage#hasResponse()}); a
     * transport failure has no row in {@code raw_order_books} (it is recorded in {@code
     * ingest_errors}) and is rejected here.
     */
    /**
     * {@code raw_order_books.payload_hash}: 64-bit FNV-1a of the payload's UTF-8 bytes, top bit
     * cleared (a non-negative long for the UInt64 column). Part of the table's key, so that
     * distinct messages received in the same millisecond stay distinct rows.
     */
    public static long payloadHash(String payload) {
        long h = 0xcbf29ce484222325L;
        for (byte b : payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            h ^= b & 0xff;
            h *= 0x100000001b3L;
        }
        return h >>> 1;
    }

    public static void rawOrderBook(PreparedStatement ps, RawMessage m) throws SQLException {
        if (!m.hasResponse()) {
            throw new IllegalArgumentException(
                    "raw_order_books takes messages with a response only (filter with"
                            + " RawMessage::hasResponse); got "
                            + m);
        }
        ps.setString(1, required("raw_order_books.exchange", m.exchange));
        ps.setString(2, required("raw_order_books.market", m.market));
        ps.setString(3, required("raw_order_books.kind", m.kind));
        ps.setObject(4, Instant.ofEpochMilli(m.receivedAt));
        ps.setInt(5, (int) unsigned("raw_order_books.http_status", m.httpStatus, UINT16_MAX));
        ps.setString(6, orEmpty(m.payload));
        ps.setLong(7, payloadHash(orEmpty(m.payload)));
        ps.setLong(8, RowVersions.writeTimeOnly(System.currentTimeMillis()));
    }

    public static void ingestError(PreparedStatement ps, IngestError e) throws SQLException {
        ps.setString(1, required("ingest_errors.exchange", e.exchange));
        ps.setString(2, required("ingest_errors.market", e.market));
        ps.setObject(3, Instant.ofEpochMilli(e.receivedAt));
        ps.setString(4, required("ingest_errors.error_type", e.errorType));
        ps.setString(5, orEmpty(e.message));
        ps.setString(6, orEmpty(e.payload));
        ps.setLong(7, RowVersions.writeTimeOnly(System.currentTimeMillis()));
        ps.setString(8, orEmpty(e.source));
    }

    /** Prices and sizes become exact decimals: {@code unscaled / 10^scale}. */
    public static void orderBookSlice(PreparedStatement ps, BookSlice s) throws SQLException {
        long[] prices = required("order_book_slices.prices", s.prices);
        long[] sizes = required("order_book_slices.quantities", s.sizes);
        if (prices.length != sizes.length) {
            throw new IllegalArgumentException(
                    "order_book_slices: "
                            + prices.length
                            + " prices but "
                            + sizes.length
                            + " sizes in "
                            + s);
        }
        ps.setString(1, required("order_book_slices.exchange", s.exchange));
        ps.setString(2, required("order_book_slices.market", s.market));
        ps.setObject(3, Instant.ofEpochMilli(s.receivedAt));
        ps.setString(4, required("order_book_slices.side", s.side));
        ps.setObject(5, decimals("order_book_slices.prices", prices, s.priceScale));
        ps.setObject(6, decimals("order_book_slices.quantities", sizes, s.sizeScale));
        ps.setLong(7, unsigned("order_book_slices.levels", prices.length, UINT32_MAX));
        ps.setBigDecimal(8, decimal("order_book_slices.cumulative_notional", s.cumulativeNotional));
        ps.setBigDecimal(9, decimal("order_book_slices.vwap_100k", s.vwap));
        ps.setBoolean(10, s.complete);
        ps.setLong(11, RowVersions.writeTimeOnly(System.currentTimeMillis()));
    }

    public static void midPrice(PreparedStatement ps, MidPrice p) throws SQLException {
        ps.setObject(1, Instant.ofEpochMilli(p.windowStart));
        ps.setString(2, required("mid_price_1m.market", p.market));
        ps.setString(3, required("mid_price_1m.exchange", p.exchange));
        ps.setBigDecimal(4, decimal("mid_price_1m.mid", p.mid));
        ps.setLong(5, unsigned("mid_price_1m.samples", p.samples, UINT32_MAX));
        ps.setBigDecimal(6, decimal("mid_price_1m.best_bid", p.bestBid));
        ps.setBigDecimal(7, decimal("mid_price_1m.best_ask", p.bestAsk));
        ps.setDouble(8, p.spreadBps);
        ps.setString(9, p.bookStatus == null ? "ok" : p.bookStatus);
        ps.setLong(10, unsigned("mid_price_1m.good_ms", p.goodMs, UINT32_MAX));
        ps.setInt(11, p.expectedSamples);
        ps.setObject(12, orNone(p.exchanges));
        ps.setInt(13, MidPrice.ALL_EXCHANGES.equals(p.exchange) ? p.exchangeSamples : p.samples);
        ps.setInt(14, p.expectedExchanges);
        ps.setLong(15, RowVersions.midPrice(p, System.currentTimeMillis()));
    }

    public static void executionQuote(PreparedStatement ps, ExecutionQuote q) throws SQLException {
        ps.setObject(1, Instant.ofEpochMilli(q.windowStart));
        ps.setString(2, required("execution_quotes_1m.exchange", q.exchange));
        ps.setString(3, required("execution_quotes_1m.market", q.market));
        ps.setString(4, required("execution_quotes_1m.side", q.side));
        ps.setLong(5, unsigned("execution_quotes_1m.notional", q.notional, UINT32_MAX));
        ps.setBoolean(6, q.complete);
        ps.setBigDecimal(7, decimal("execution_quotes_1m.avg_price", q.avgPrice));
        ps.setBigDecimal(8, decimal("execution_quotes_1m.worst_price", q.worstPrice));
        ps.setBigDecimal(9, decimal("execution_quotes_1m.base_qty", q.baseQty));
        ps.setBigDecimal(10, decimal("execution_quotes_1m.filled_notional", q.filledNotional));
        ps.setLong(11, unsigned("execution_quotes_1m.levels", q.levels, UINT32_MAX));
        ps.setDouble(12, q.slippageBps);
        ps.setObject(13, Instant.ofEpochMilli(q.bookTime));
        ps.setInt(14, q.samples);
        ps.setInt(15, q.expectedSamples);
        ps.setLong(16, q.goodMs);
        ps.setLong(17, RowVersions.executionQuote(q, System.currentTimeMillis()));
        ps.setDouble(18, q.feeBps);
        ps.setBigDecimal(
                19,
                q.allInPrice == null
                        ? BigDecimal.ZERO
                        : decimal("execution_quotes_1m.all_in_price", q.allInPrice));
        ps.setBoolean(20, q.allInPrice != null && q.allInComplete);
    }

    public static void bestExecution(PreparedStatement ps, BestExecution b) throws SQLException {
        ps.setObject(1, Instant.ofEpochMilli(b.windowStart));
        ps.setString(2, required("best_execution_1m.market", b.market));
        ps.setString(3, required("best_execution_1m.side", b.side));
        ps.setLong(4, unsigned("best_execution_1m.notional", b.notional, UINT32_MAX));
        ps.setString(5, required("best_execution_1m.exchange", b.exchange));
        ps.setBigDecimal(6, decimal("best_execution_1m.avg_price", b.avgPrice));
        ps.setInt(7, (int) unsigned("best_execution_1m.candidates", b.candidates, UINT8_MAX));
        ps.setObject(8, orNone(b.exchanges));
        ps.setInt(9, b.exchangeSamples);
        ps.setInt(10, b.expectedSamples);
        ps.setLong(11, b.goodMs);
        ps.setInt(12, b.expectedExchanges);
        ps.setLong(13, RowVersions.bestExecution(b, System.currentTimeMillis()));
    }

    public static void routedExecution(PreparedStatement ps, RoutedExecution r)
            throws SQLException {
        String[] legs = orNone(r.legExchanges);
        BigDecimal[] cash = required("routed_execution_1m.leg_cash", r.legCash);
        BigDecimal[] base = required("routed_execution_1m.leg_base_qty", r.legBaseQty);
        int[] levels = required("routed_execution_1m.leg_levels", r.legLevels);
        if (cash.length != legs.length
                || base.length != legs.length
                || levels.length != legs.length) {
            throw new IllegalArgumentException(
                    "routed_execution_1m: legs of unequal lengths in " + r);
        }
        boolean best = r.bestSingleExchange != null;
        ps.setObject(1, Instant.ofEpochMilli(r.windowStart));
        ps.setString(2, required("routed_execution_1m.market", r.market));
        ps.setString(3, required("routed_execution_1m.side", r.side));
        ps.setLong(4, unsigned("routed_execution_1m.notional", r.notional, UINT32_MAX));
        ps.setBoolean(5, r.complete);
        ps.setBigDecimal(6, decimal("routed_execution_1m.all_in_price", r.allInPrice));
        ps.setBigDecimal(7, decimal("routed_execution_1m.base_qty", r.baseQty));
        ps.setBigDecimal(8, decimal("routed_execution_1m.cash", r.cash));
        ps.setObject(9, legs);
        ps.setObject(10, decimals("routed_execution_1m.leg_cash", cash));
        ps.setObject(11, decimals("routed_execution_1m.leg_base_qty", base));
        long[] lv = new long[levels.length];
        for (int i = 0; i < levels.length; i++) {
            lv[i] = unsigned("routed_execution_1m.leg_levels", levels[i], UINT32_MAX);
        }
        ps.setObject(12, lv);
        ps.setString(13, best ? r.bestSingleExchange : "");
        ps.setBigDecimal(
                14,
                best
                        ? decimal(
                                "routed_execution_1m.best_single_all_in_price",
                                r.bestSingleAllInPrice)
                        : BigDecimal.ZERO);
        ps.setDouble(15, best ? r.savingsBps : 0.0);
        ps.setBigDecimal(16, decimal("routed_execution_1m.mid", r.mid));
        ps.setObject(17, orNone(r.exchanges));
        ps.setLong(
                18,
                unsigned("routed_execution_1m.exchange_samples", r.exchangeSamples, UINT32_MAX));
        ps.setLong(
                19,
                unsigned("routed_execution_1m.expected_samples", r.expectedSamples, UINT32_MAX));
        ps.setLong(20, unsigned("routed_execution_1m.good_ms", r.goodMs, UINT32_MAX));
        ps.setInt(
                21,
                (int)
                        unsigned(
                                "routed_execution_1m.expected_exchanges",
                                r.expectedExchanges,
                                UINT8_MAX));
        ps.setLong(
                22,
                RowVersions.liquidity(
                        r.exchanges, r.exchangeSamples, r.goodMs, System.currentTimeMillis()));
    }

    public static void liquidityBand(PreparedStatement ps, LiquidityBand b) throws SQLException {
        ps.setObject(1, Instant.ofEpochMilli(b.windowStart));
        ps.setString(2, required("liquidity_bands_1m.market", b.market));
        ps.setString(3, required("liquidity_bands_1m.exchange", b.exchange));
        ps.setLong(4, unsigned("liquidity_bands_1m.band_bps", b.bandBps, UINT32_MAX));
        ps.setBigDecimal(5, decimal("liquidity_bands_1m.mid", b.mid));
        ps.setBigDecimal(6, decimal("liquidity_bands_1m.bid_qty", b.bidQty));
        ps.setBigDecimal(7, decimal("liquidity_bands_1m.bid_notional", b.bidNotional));
        ps.setBigDecimal(8, decimal("liquidity_bands_1m.ask_qty", b.askQty));
        ps.setBigDecimal(9, decimal("liquidity_bands_1m.ask_notional", b.askNotional));
        ps.setBigDecimal(
                10,
                b.imbalance == null ? null : decimal("liquidity_bands_1m.imbalance", b.imbalance));
        ps.setBigDecimal(
                11,
                b.twBidNotional == null
                        ? null
                        : decimal("liquidity_bands_1m.tw_bid_notional", b.twBidNotional));
        ps.setBigDecimal(
                12,
                b.twAskNotional == null
                        ? null
                        : decimal("liquidity_bands_1m.tw_ask_notional", b.twAskNotional));
        ps.setLong(13, unsigned("liquidity_bands_1m.samples", b.samples, UINT32_MAX));
        ps.setObject(14, orNone(b.exchanges));
        ps.setLong(
                15, unsigned("liquidity_bands_1m.exchange_samples", b.exchangeSamples, UINT32_MAX));
        ps.setLong(
                16, unsigned("liquidity_bands_1m.expected_samples", b.expectedSamples, UINT32_MAX));
        ps.setLong(17, unsigned("liquidity_bands_1m.good_ms", b.goodMs, UINT32_MAX));
        ps.setInt(
                18,
                (int)
                        unsigned(
                                "liquidity_bands_1m.expected_exchanges",
                                b.expectedExchanges,
                                UINT8_MAX));
        ps.setLong(
                19,
                RowVersions.liquidity(
                        b.exchanges, b.exchangeSamples, b.goodMs, System.currentTimeMillis()));
    }

    public static void arbitrage(PreparedStatement ps, Arbitrage a) throws SQLException {
        ps.setObject(1, Instant.ofEpochMilli(a.windowStart));
        ps.setString(2, required("arbitrage_1m.market", a.market));
        ps.setString(3, required("arbitrage_1m.buy_exchange", a.buyExchange));
        ps.setString(4, required("arbitrage_1m.sell_exchange", a.sellExchange));
        ps.setBigDecimal(5, decimal("arbitrage_1m.base_qty", a.baseQty));
        ps.setBigDecimal(6, decimal("arbitrage_1m.cost", a.cost));
        ps.setBigDecimal(7, decimal("arbitrage_1m.profit", a.profit));
        ps.setDouble(8, a.profitBps);
        if (a.openMs == null) {
            ps.setNull(9, java.sql.Types.BIGINT);
        } else {
            ps.setLong(9, unsigned("arbitrage_1m.open_ms", a.openMs, UINT32_MAX));
        }
        ps.setObject(10, orNone(a.exchanges));
        ps.setLong(11, unsigned("arbitrage_1m.exchange_samples", a.exchangeSamples, UINT32_MAX));
        ps.setLong(12, unsigned("arbitrage_1m.expected_samples", a.expectedSamples, UINT32_MAX));
        ps.setLong(13, unsigned("arbitrage_1m.good_ms", a.goodMs, UINT32_MAX));
        ps.setInt(
                14,
                (int) unsigned("arbitrage_1m.expected_exchanges", a.expectedExchanges, UINT8_MAX));
        ps.setLong(
                15,
                RowVersions.liquidity(
                        a.exchanges, a.exchangeSamples, a.goodMs, System.currentTimeMillis()));
    }

    /** Values for an {@code Array(Decimal(38, 18))} column, each as {@link #decimal}. */
    static BigDecimal[] decimals(String column, BigDecimal[] values) {
        BigDecimal[] out = new BigDecimal[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = decimal(column, values[i]);
        }
        return out;
    }

    /**
     * A value for a {@code Decimal(38, 18)} column: at most 18 fraction digits, 20 integer digits.
     */
    static BigDecimal decimal(String column, BigDecimal value) {
        BigDecimal v = required(column, value);
        if (v.scale() > SCALE) {
            v = v.setScale(SCALE, RoundingMode.HALF_EVEN);
        } else if (v.scale() < 0) {
            v = v.setScale(0); // 1E+3 -> 1000: exact, and no exponent for the parser
        }
        if (v.precision() - v.scale() > INTEGER_DIGITS) {
            throw new IllegalArgumentException(
                    column + " = " + value.toPlainString() + " does not fit Decimal(38, 18)");
        }
        return v;
    }

    /** Exact decimals {@code unscaled[i] / 10^scale}; a long has at most 19 digits, so they fit. */
    static BigDecimal[] decimals(String column, long[] unscaled, int scale) {
        if (scale < 0 || scale > SCALE) {
            throw new IllegalArgumentException(
                    column + ": scale " + scale + " is not within 0..18");
        }
        BigDecimal[] values = new BigDecimal[unscaled.length];
        for (int i = 0; i < unscaled.length; i++) {
            values[i] = BigDecimal.valueOf(unscaled[i], scale);
        }
        return values;
    }

    private static final long UINT8_MAX = 0xffL;
    private static final long UINT16_MAX = 0xffffL;
    private static final long UINT32_MAX = 0xffff_ffffL;

    /**
     * A value for an unsigned integer column of at most {@code max}. ClickHouse stores a value
     * outside the column's range modulo its size without a word (70,000 in a UInt16 becomes 4,464;
     * -5 becomes 65,531), so a value that does not fit is a bug upstream (the decoders and the
     * options bound every input) and is rejected like a null.
     */
    static long unsigned(String column, long value, long max) {
        if (value < 0 || value > max) {
            throw new IllegalArgumentException(
                    column + " = " + value + " does not fit its column (0.." + max + ")");
        }
        return value;
    }

    private static <T> T required(String column, T value) {
        if (value == null) {
            throw new IllegalArgumentException(column + " is null");
        }
        return value;
    }

    private static String[] orNone(String[] a) {
        return a == null ? new String[0] : a;
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }
}
