package io.depthflow.clickhouse;

import io.depthflow.clickhouse.internal.RowBinders;
import io.depthflow.sources.model.BestExecution;
import io.depthflow.sources.model.BookSlice;
import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.MidPrice;
import io.depthflow.sources.model.RawMessage;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.connector.jdbc.JdbcStatementBuilder;
import org.apache.flink.connector.jdbc.core.datastream.sink.JdbcSink;

/**
 * Flink sinks into the ClickHouse tables of migration V001, one factory per table, built on the
 * Flink JDBC connector's DataStream {@link JdbcSink} with the official ClickHouse JDBC driver.
 *
 * <pre>{@code
 * ClickHouseSinkOptions options = ClickHouseSinkOptions.fromConfig(config);
 * mids.sinkTo(ClickHouseSinks.midPrices(options)).uid("sink-jdbc-mid-price-1m").name("mid_price_1m");
 * raw.filter(RawMessage::hasResponse).sinkTo(ClickHouseSinks.rawOrderBooks(options)) ...
 * }</pre>
 *
 * <p><b>Delivery guarantee: at-least-once, effectively once for readers.</b> Each subtask buffers
 * rows and INSERTs them as one batch when {@link ClickHouseSinkOptions#batchSize()} rows are
 * buffered, after {@link ClickHouseSinkOptions#batchIntervalMs()}, and at every checkpoint (so a
 * completed checkpoint means its rows are in ClickHouse). A failed INSERT is retried {@link
 * ClickHouseSinkOptions#maxRetries()} times, then the job fails and restarts from the last
 * checkpoint, which replays rows that may already be stored. Every table is a {@code
 * ReplacingMergeTree(version)} keyed by its natural key, and each row carries {@code version =
 * System.currentTimeMillis()} at write time, so a replayed row collapses with the earlier copy:
 * read with {@code FINAL} (the BI views {@code bi_mid_price_1m} and {@code bi_best_execution_1m}
 * do) and each key shows once, with its latest values. Without {@code FINAL}, duplicates are
 * visible until ClickHouse merges the parts.
 *
 * <p>Value mapping (exact decimals, UTC epoch-millisecond timestamps, rejected nulls) is described
 * in {@link RowBinders}.
 */
@PublicEvolving
public final class ClickHouseSinks {

    private ClickHouseSinks() {}

    /**
     * Bronze: {@code raw_order_books}. Takes only messages that got a response ({@link
     * RawMessage#hasResponse()}; filter before this sink): a message without one fails the job,
     * since transport failures belong in {@code ingest_errors}. Rows older than the table's TTL
     * ({@link Migrations#applyRawTtlDays}) are dropped by ClickHouse as they are inserted.
     */
    public static Sink<RawMessage> rawOrderBooks(ClickHouseSinkOptions options) {
        return sink(options, RowBinders.RAW_ORDER_BOOKS, RowBinders::rawOrderBook);
    }

    /** {@code ingest_errors}: everything that could not be used, with its reason and payload. */
    public static Sink<IngestError> ingestErrors(ClickHouseSinkOptions options) {
        return sink(options, RowBinders.INGEST_ERRORS, RowBinders::ingestError);
    }

    /** Silver: {@code order_book_slices}, the $100k slice of each side of each book. */
    public static Sink<BookSlice> orderBookSlices(ClickHouseSinkOptions options) {
        return sink(options, RowBinders.ORDER_BOOK_SLICES, RowBinders::orderBookSlice);
    }

    /** Gold: {@code mid_price_1m}, read by BI through {@code bi_mid_price_1m}. */
    public static Sink<MidPrice> midPrices(ClickHouseSinkOptions options) {
        return sink(options, RowBinders.MID_PRICE_1M, RowBinders::midPrice);
    }

    /** Gold: {@code execution_quotes_1m}, per exchange, side and notional. */
    public static Sink<ExecutionQuote> executionQuotes(ClickHouseSinkOptions options) {
        return sink(options, RowBinders.EXECUTION_QUOTES_1M, RowBinders::executionQuote);
    }

    /** Gold: {@code best_execution_1m}, read by BI through {@code bi_best_execution_1m}. */
    public static Sink<BestExecution> bestExecutions(ClickHouseSinkOptions options) {
        return sink(options, RowBinders.BEST_EXECUTION_1M, RowBinders::bestExecution);
    }

    private static <T> Sink<T> sink(
            ClickHouseSinkOptions options, String sql, JdbcStatementBuilder<T> binder) {
        return JdbcSink.<T>builder()
                .withQueryStatement(sql, binder)
                .withExecutionOptions(options.executionOptions())
                .buildAtLeastOnce(options.connectionOptions());
    }
}
