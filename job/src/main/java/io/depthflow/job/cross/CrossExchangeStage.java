package io.depthflow.job.cross;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.api.Schema;
import org.apache.flink.table.api.Table;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;
import org.apache.flink.table.types.DataType;

import io.depthflow.job.OperatorIds;
import io.depthflow.job.quote.BookWalker;
import io.depthflow.sources.model.BestExecution;
import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.model.MidPrice;

import java.util.List;

/**
 * The cross-exchange stage, in Flink SQL: per (window, market) it combines the exchanges' minute
 * results.
 *
 * <ul>
 *   <li>{@code all} mid: the mean of the exchanges' mids for the window; best bid = highest and
 *       best ask = lowest of the exchanges' closing books (consolidated top of book).
 *   <li>best execution: per (side, notional), among the exchanges whose book filled the whole
 *       notional, the lowest average price for buys and the highest for sells (ties broken by
 *       exchange name), with the number of such candidates. No row when none could fill.
 * </ul>
 *
 * <p>Both are event-time window queries (window TVF {@code TUMBLE} over the per-exchange rows'
 * timestamps, {@code window_end - 1}, with the DataStream's watermarks) and emit insert-only
 * results once per window. The window state they keep lives for one minute at most. Their
 * operators' uids are the planner's, made independent of the compiling JVM by {@link PlannerUids}:
 * {@code cross-sql-<n>-<transformation>}, stable while the SQL and the Flink version are unchanged.
 *
 * <p>The exchanges behind each row and their data (completeness, which decides the row's version)
 * are attached after the SQL by {@link ExchangesBehind}, under uids of their own, so that the SQL
 * and its savepoint state stay as they were.
 */
public final class CrossExchangeStage {

    private static final Schema ROWTIME_FROM_STREAM =
            Schema.newBuilder()
                    .columnByMetadata("rowtime", "TIMESTAMP_LTZ(3)")
                    .watermark("rowtime", "SOURCE_WATERMARK()")
                    .build();

    static final String ALL_MIDS_SQL =
            "SELECT windowStart, market, 'all' AS exchange,"
                    + " CAST(AVG(mid) AS DECIMAL(38, 18)) AS mid,"
                    + " CAST(COUNT(*) AS INT) AS samples,"
                    + " MAX(bestBid) AS bestBid, MIN(bestAsk) AS bestAsk,"
                    + " CAST(0 AS DOUBLE) AS spreadBps"
                    + " FROM TABLE(TUMBLE(TABLE depthflow_exchange_mids, DESCRIPTOR(rowtime), INTERVAL '1' MINUTE))"
                    + " GROUP BY window_start, window_end, windowStart, market";

    static final String COMPLETE_QUOTES_VIEW =
            "SELECT windowStart, market, side, notional, exchange, avgPrice,"
                    + " CASE WHEN side = 'buy' THEN avgPrice ELSE -avgPrice END AS rankKey, rowtime"
                    + " FROM depthflow_exchange_quotes WHERE complete";

    static final String BEST_EXECUTION_SQL =
            "SELECT b.windowStart, b.market, b.side, b.notional, b.exchange, b.avgPrice,"
                    + " CAST(c.candidates AS INT) AS candidates"
                    + " FROM ("
                    + "   SELECT * FROM ("
                    + "     SELECT window_start, window_end, windowStart, market, side, notional, exchange, avgPrice,"
                    + "       ROW_NUMBER() OVER (PARTITION BY window_start, window_end, market, side, notional"
                    + "                          ORDER BY rankKey ASC, exchange ASC) AS rn"
                    + "     FROM TABLE(TUMBLE(TABLE depthflow_complete_quotes, DESCRIPTOR(rowtime), INTERVAL '1' MINUTE))"
                    + "   ) WHERE rn = 1"
                    + " ) b JOIN ("
                    + "   SELECT window_start, window_end, market, side, notional, COUNT(*) AS candidates"
                    + "   FROM TABLE(TUMBLE(TABLE depthflow_complete_quotes, DESCRIPTOR(rowtime), INTERVAL '1' MINUTE))"
                    + "   GROUP BY window_start, window_end, market, side, notional"
                    + " ) c ON b.window_start = c.window_start AND b.window_end = c.window_end"
                    + " AND b.market = c.market AND b.side = c.side AND b.notional = c.notional";

    private static final DataType PRICE = DataTypes.DECIMAL(38, 18);

    /** Table types of the output rows; BigDecimal fields need their precision spelled out. */
    static final DataType MID_PRICE_TYPE =
            DataTypes.STRUCTURED(
                    MidPrice.class,
                    DataTypes.FIELD("windowStart", DataTypes.BIGINT().notNull()),
                    DataTypes.FIELD("market", DataTypes.STRING()),
                    DataTypes.FIELD("exchange", DataTypes.STRING()),
                    DataTypes.FIELD("mid", PRICE),
                    DataTypes.FIELD("samples", DataTypes.INT().notNull()),
                    DataTypes.FIELD("bestBid", PRICE),
                    DataTypes.FIELD("bestAsk", PRICE),
                    DataTypes.FIELD("spreadBps", DataTypes.DOUBLE().notNull()));

    static final DataType BEST_EXECUTION_TYPE =
            DataTypes.STRUCTURED(
                    BestExecution.class,
                    DataTypes.FIELD("windowStart", DataTypes.BIGINT().notNull()),
                    DataTypes.FIELD("market", DataTypes.STRING()),
                    DataTypes.FIELD("side", DataTypes.STRING()),
                    DataTypes.FIELD("notional", DataTypes.BIGINT().notNull()),
                    DataTypes.FIELD("exchange", DataTypes.STRING()),
                    DataTypes.FIELD("avgPrice", PRICE),
                    DataTypes.FIELD("candidates", DataTypes.INT().notNull()));

    /** The stage's two outputs. */
    public record Result(DataStream<MidPrice> allMids, DataStream<BestExecution> bestExecution) {}

    private CrossExchangeStage() {}

    /**
     * Wires the stage into {@code tEnv}'s pipeline.
     *
     * @param exchangeMids per-exchange minute mids, timestamped {@code window_end - 1}
     * @param exchangeQuotes per-exchange minute quotes, timestamped {@code window_end - 1}
     */
    public static Result apply(
            StreamTableEnvironment tEnv,
            DataStream<MidPrice> exchangeMids,
            DataStream<ExecutionQuote> exchangeQuotes) {
        return apply(tEnv, exchangeMids, exchangeQuotes, 0);
    }

    /**
     * As {@link #apply(StreamTableEnvironment, DataStream, DataStream)}, for a job that reads
     * {@code expectedExchanges} exchanges per market (0 when unknown): the cross rows say so, and
     * the BI views flag a row over fewer as partial.
     */
    public static Result apply(
            StreamTableEnvironment tEnv,
            DataStream<MidPrice> exchangeMids,
            DataStream<ExecutionQuote> exchangeQuotes,
            int expectedExchanges) {
        tEnv.getConfig().set("table.local-time-zone", "UTC");
        tEnv.createTemporaryView(
                "depthflow_exchange_mids", tEnv.fromDataStream(exchangeMids, ROWTIME_FROM_STREAM));
        tEnv.createTemporaryView(
                "depthflow_exchange_quotes",
                tEnv.fromDataStream(exchangeQuotes, ROWTIME_FROM_STREAM));
        tEnv.createTemporaryView("depthflow_complete_quotes", tEnv.sqlQuery(COMPLETE_QUOTES_VIEW));

        Table allMids = tEnv.sqlQuery(ALL_MIDS_SQL);
        Table best = tEnv.sqlQuery(BEST_EXECUTION_SQL);
        DataStream<MidPrice> allMidRows = tEnv.toDataStream(allMids, MID_PRICE_TYPE);
        DataStream<BestExecution> bestRows = tEnv.toDataStream(best, BEST_EXECUTION_TYPE);
        PlannerUids.stabilize(
                OperatorIds.CROSS_EXCHANGE_SQL_PREFIX,
                List.of(exchangeMids, exchangeQuotes),
                List.of(allMidRows, bestRows));
        DataStream<MidPrice> allMidStream =
                allMidRows
                        .map(new WithSpread())
                        .uid(OperatorIds.ALL_EXCHANGE_SPREAD)
                        .name("All-exchange spread");
        DataStream<MidPrice> allMidsBehind =
                exchangeMids
                        .connect(allMidStream)
                        .keyBy(new ExchangesBehind.MidMarket(), new ExchangesBehind.MidMarket())
                        .process(ExchangesBehind.allMids(expectedExchanges))
                        .uid(OperatorIds.ALL_MID_EXCHANGES)
                        .name("Exchanges behind all mids");
        DataStream<BestExecution> bestBehind =
                exchangeQuotes
                        .connect(bestRows)
                        .keyBy(new ExchangesBehind.QuoteMarket(), new ExchangesBehind.BestMarket())
                        .process(ExchangesBehind.bestExecutions(expectedExchanges))
                        .uid(OperatorIds.BEST_EXECUTION_EXCHANGES)
                        .name("Exchanges behind best execution");
        return new Result(allMidsBehind, bestBehind);
    }

    /** Fills the consolidated spread, which is simpler and exact in Java. */
    static final class WithSpread implements MapFunction<MidPrice, MidPrice> {
        private static final long serialVersionUID = 1L;

        @Override
        public MidPrice map(MidPrice m) {
            m.spreadBps = BookWalker.spreadBps(m.bestBid, m.bestAsk);
            return m;
        }
    }
}
