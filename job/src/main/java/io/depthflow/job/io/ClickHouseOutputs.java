package io.depthflow.job.io;

import io.depthflow.clickhouse.ClickHouseSinkOptions;
import io.depthflow.clickhouse.ClickHouseSinks;
import io.depthflow.job.OperatorIds;
import io.depthflow.job.Outputs;

/**
 * Sinks every output stream of the topology into its ClickHouse table, each under its own stable
 * uid. Delivery is at-least-once (JDBC batches flushed on checkpoints and at end of input, with
 * retries); the tables are ReplacingMergeTree, so what is written twice shows once through FINAL
 * and the BI views.
 */
public final class ClickHouseOutputs {

    private ClickHouseOutputs() {}

    public static void attach(Outputs out, ClickHouseSinkOptions options) {
        out.raw()
                .sinkTo(ClickHouseSinks.rawOrderBooks(options))
                .uid(OperatorIds.SINK_RAW)
                .name("ClickHouse raw_order_books");
        out.errors()
                .sinkTo(ClickHouseSinks.ingestErrors(options))
                .uid(OperatorIds.SINK_ERRORS)
                .name("ClickHouse ingest_errors");
        out.slices()
                .sinkTo(ClickHouseSinks.orderBookSlices(options))
                .uid(OperatorIds.SINK_SLICES)
                .name("ClickHouse order_book_slices");
        out.exchangeMids()
                .sinkTo(ClickHouseSinks.midPrices(options))
                .uid(OperatorIds.SINK_MIDS)
                .name("ClickHouse mid_price_1m (exchanges)");
        out.allMids()
                .sinkTo(ClickHouseSinks.midPrices(options))
                .uid(OperatorIds.SINK_MIDS_ALL)
                .name("ClickHouse mid_price_1m (all)");
        out.quotes()
                .sinkTo(ClickHouseSinks.executionQuotes(options))
                .uid(OperatorIds.SINK_QUOTES)
                .name("ClickHouse execution_quotes_1m");
        out.bestExecution()
                .sinkTo(ClickHouseSinks.bestExecutions(options))
                .uid(OperatorIds.SINK_BEST)
                .name("ClickHouse best_execution_1m");
        if (out.routes() != null) {
            out.routes()
                    .sinkTo(ClickHouseSinks.routedExecutions(options))
                    .uid(OperatorIds.SINK_ROUTES)
                    .name("ClickHouse routed_execution_1m");
        }
        if (out.bands() != null) {
            out.bands()
                    .sinkTo(ClickHouseSinks.liquidityBands(options))
                    .uid(OperatorIds.SINK_BANDS)
                    .name("ClickHouse liquidity_bands_1m");
        }
        if (out.arbitrage() != null) {
            out.arbitrage()
                    .sinkTo(ClickHouseSinks.arbitrage(options))
                    .uid(OperatorIds.SINK_ARBITRAGE)
                    .name("ClickHouse arbitrage_1m");
        }
    }
}
