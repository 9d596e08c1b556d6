package io.depthflow.clickhouse;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.clickhouse.internal.RowBinders;
import io.depthflow.clickhouse.internal.TableSpec;
import io.depthflow.sources.model.Arbitrage;
import io.depthflow.sources.model.BestExecution;
import io.depthflow.sources.model.BookSlice;
import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.LiquidityBand;
import io.depthflow.sources.model.MidPrice;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.model.RoutedExecution;

/**
 * Flink sinks into the ClickHouse tables, one factory per table: {@link ClickHouseSink}s on Flink's
 * async sink base, writing through the official ClickHouse JDBC driver with the statements and
 * binders of {@link RowBinders}.
 *
 * <pre>{@code
 * ClickHouseSinkOptions options = ClickHouseSinkOptions.fromConfig(config);
 * mids.sinkTo(ClickHouseSinks.midPrices(options)).uid("sink-jdbc-mid-price-1m").name("mid_price_1m");
 * raw.filter(RawMessage::hasResponse).sinkTo(ClickHouseSinks.rawOrderBooks(options)) ...
 * }</pre>
 *
 * <p><b>Delivery guarantee: at-least-once, effectively once for readers.</b> Each subtask buffers
 * rows and INSERTs them as one batch when {@link ClickHouseSinkOptions#batchSize()} rows are
 * buffered or after {@link ClickHouseSinkOptions#batchIntervalMs()}. Rows not yet written are part
 * of the subtask's checkpointed state, so a job restarted from a checkpoint writes them. Every
 * table is a {@code ReplacingMergeTree(version)} keyed by its natural key, so a row written twice
 * (a retried batch whose first attempt did reach ClickHouse) collapses with its copy: read with
 * {@code FINAL} (the BI views {@code bi_mid_price_1m} and {@code bi_best_execution_1m} do) and each
 * key shows once.
 *
 * <p><b>When ClickHouse is unreachable</b> (down, restarting, overloaded) no error fails the job:
 * the failed batch goes back to the buffer and is retried after a capped exponential backoff with
 * jitter ({@link ClickHouseSinkOptions#retryInitialBackoffMs()} doubling up to {@link
 * ClickHouseSinkOptions#retryMaxBackoffMs()}); meanwhile the sink keeps accepting rows, and
 * checkpoints keep completing with the buffered rows in them. The buffer is bounded per subtask by
 * {@link ClickHouseSinkOptions#maxBufferedRows()} rows and {@link
 * ClickHouseSinkOptions#maxBufferedBytes()} estimated bytes; past either bound the sink
 * back-pressures its input until ClickHouse takes rows again. No row is ever dropped because of an
 * outage. One log line says when a table became unreachable, one repeats every {@link
 * ClickHouseSinkOptions#outageLogIntervalMs()}, one says when it is back.
 *
 * <p><b>Rows ClickHouse refuses</b> for their data (or that the binder refuses) are isolated by
 * splitting the batch, recorded in {@code ingest_errors} with error type {@code sink_rejected} and
 * the row as JSON, and not retried; the rest of the batch is written.
 *
 * <p>Value mapping (exact decimals, UTC epoch-millisecond timestamps, rejected nulls) is described
 * in {@link RowBinders}.
 */
@PublicEvolving
public final class ClickHouseSinks {

    /** Estimated bytes of a row without a large payload: a few keys, decimals, a timestamp. */
    private static final long SMALL_ROW_BYTES = 256;

    private ClickHouseSinks() {}

    /**
     * Bronze: {@code raw_order_books}. Takes only messages that got a response ({@link
     * RawMessage#hasResponse()}; filter before this sink): a message without one is refused (and
     * recorded as {@code sink_rejected}), since transport failures belong in {@code ingest_errors}.
     * Rows older than the table's TTL ({@link Migrations#applyRawTtlDays}) are dropped by
     * ClickHouse as they are inserted.
     */
    public static ClickHouseSink<RawMessage> rawOrderBooks(ClickHouseSinkOptions options) {
        return sink(
                options,
                new TableSpec<>(
                        "raw_order_books",
                        RowBinders.RAW_ORDER_BOOKS,
                        RowBinders::rawOrderBook,
                        RawMessage.class,
                        m -> SMALL_ROW_BYTES + length(m.payload)));
    }

    /** {@code ingest_errors}: everything that could not be used, with its reason and payload. */
    public static ClickHouseSink<IngestError> ingestErrors(ClickHouseSinkOptions options) {
        return sink(
                options,
                new TableSpec<>(
                        "ingest_errors",
                        RowBinders.INGEST_ERRORS,
                        RowBinders::ingestError,
                        IngestError.class,
                        e -> SMALL_ROW_BYTES + length(e.payload) + length(e.message)));
    }

    /** Silver: {@code order_book_slices}, the $100k slice of each side of each book. */
    public static ClickHouseSink<BookSlice> orderBookSlices(ClickHouseSinkOptions options) {
        return sink(
                options,
                new TableSpec<>(
                        "order_book_slices",
                        RowBinders.ORDER_BOOK_SLICES,
                        RowBinders::orderBookSlice,
                        BookSlice.class,
                        s -> SMALL_ROW_BYTES + 48L * (s.prices == null ? 0 : s.prices.length)));
    }

    /** Gold: {@code mid_price_1m}, read by BI through {@code bi_mid_price_1m}. */
    public static ClickHouseSink<MidPrice> midPrices(ClickHouseSinkOptions options) {
        return sink(
                options,
                new TableSpec<>(
                        "mid_price_1m",
                        RowBinders.MID_PRICE_1M,
                        RowBinders::midPrice,
                        MidPrice.class,
                        p -> SMALL_ROW_BYTES));
    }

    /** Gold: {@code execution_quotes_1m}, per exchange, side and notional. */
    public static ClickHouseSink<ExecutionQuote> executionQuotes(ClickHouseSinkOptions options) {
        return sink(
                options,
                new TableSpec<>(
                        "execution_quotes_1m",
                        RowBinders.EXECUTION_QUOTES_1M,
                        RowBinders::executionQuote,
                        ExecutionQuote.class,
                        q -> SMALL_ROW_BYTES));
    }

    /** Gold: {@code best_execution_1m}, read by BI through {@code bi_best_execution_1m}. */
    public static ClickHouseSink<BestExecution> bestExecutions(ClickHouseSinkOptions options) {
        return sink(
                options,
                new TableSpec<>(
                        "best_execution_1m",
                        RowBinders.BEST_EXECUTION_1M,
                        RowBinders::bestExecution,
                        BestExecution.class,
                        b -> SMALL_ROW_BYTES));
    }

    /** Gold: {@code routed_execution_1m}, read by BI through {@code bi_routed_execution_1m}. */
    public static ClickHouseSink<RoutedExecution> routedExecutions(ClickHouseSinkOptions options) {
        return sink(
                options,
                new TableSpec<>(
                        "routed_execution_1m",
                        RowBinders.ROUTED_EXECUTION_1M,
                        RowBinders::routedExecution,
                        RoutedExecution.class,
                        r ->
                                SMALL_ROW_BYTES
                                        + 96L
                                                * (r.legExchanges == null
                                                        ? 0
                                                        : r.legExchanges.length)));
    }

    /** Gold: {@code liquidity_bands_1m}, read by BI through {@code bi_liquidity_1m}. */
    public static ClickHouseSink<LiquidityBand> liquidityBands(ClickHouseSinkOptions options) {
        return sink(
                options,
                new TableSpec<>(
                        "liquidity_bands_1m",
                        RowBinders.LIQUIDITY_BANDS_1M,
                        RowBinders::liquidityBand,
                        LiquidityBand.class,
                        b -> SMALL_ROW_BYTES));
    }

    /** Gold: {@code arbitrage_1m}, read by BI through {@code bi_arbitrage_1m}. */
    public static ClickHouseSink<Arbitrage> arbitrage(ClickHouseSinkOptions options) {
        return sink(
                options,
                new TableSpec<>(
                        "arbitrage_1m",
                        RowBinders.ARBITRAGE_1M,
                        RowBinders::arbitrage,
                        Arbitrage.class,
                        a -> SMALL_ROW_BYTES));
    }

    /** A sink for any table: a statement and binder of {@link RowBinders}, or a test's own. */
    @Internal
    public static <T> ClickHouseSink<T> sink(ClickHouseSinkOptions options, TableSpec<T> table) {
        return new ClickHouseSink<>(table, options);
    }

    private static long length(String s) {
        return s == null ? 0 : s.length();
    }
}
