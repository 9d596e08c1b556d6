package io.depthflow.job;

import org.apache.flink.streaming.api.datastream.DataStream;

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
 * Every stream the topology produces, one per ClickHouse table. {@link DepthflowJob} builds them;
 * {@code ClickHouseOutputs} sinks them, tests may collect them instead.
 *
 * @param raw the raw messages for bronze, verbatim: in poll mode every poll that carried a response
 *     (a transport failure has none, and is an error row only); in stream mode every WebSocket
 *     message and connection event
 * @param errors everything that could not be used, with reason and payload
 * @param slices the $100k book slices per book and side (silver)
 * @param exchangeMids per-exchange minute mids (gold)
 * @param allMids cross-exchange minute mids, exchange {@code all} (gold)
 * @param quotes per-exchange minute execution quotes (gold)
 * @param bestExecution best venue per window, market, side and notional (gold)
 * @param routes the routed split per window, market, side and notional (gold; null: none)
 * @param bands depth bands per window, market, venue (and {@code all}) and band (gold; null: none)
 * @param arbitrage cross-venue dislocations per window, market and ordered pair (gold; null: none)
 */
public record Outputs(
        DataStream<RawMessage> raw,
        DataStream<IngestError> errors,
        DataStream<BookSlice> slices,
        DataStream<MidPrice> exchangeMids,
        DataStream<MidPrice> allMids,
        DataStream<ExecutionQuote> quotes,
        DataStream<BestExecution> bestExecution,
        DataStream<RoutedExecution> routes,
        DataStream<LiquidityBand> bands,
        DataStream<Arbitrage> arbitrage) {

    /** The outputs of a topology without the liquidity stage. */
    public Outputs(
            DataStream<RawMessage> raw,
            DataStream<IngestError> errors,
            DataStream<BookSlice> slices,
            DataStream<MidPrice> exchangeMids,
            DataStream<MidPrice> allMids,
            DataStream<ExecutionQuote> quotes,
            DataStream<BestExecution> bestExecution) {
        this(raw, errors, slices, exchangeMids, allMids, quotes, bestExecution, null, null, null);
    }

    /** These outputs with the liquidity stage's. */
    public Outputs withLiquidity(
            DataStream<RoutedExecution> routes,
            DataStream<LiquidityBand> bands,
            DataStream<Arbitrage> arbitrage) {
        return new Outputs(
                raw,
                errors,
                slices,
                exchangeMids,
                allMids,
                quotes,
                bestExecution,
                routes,
                bands,
                arbitrage);
    }

    /** These outputs with {@code more} errors (those of the input's decoding); null adds none. */
    public Outputs withMoreErrors(DataStream<IngestError> more) {
        return more == null
                ? this
                : new Outputs(
                        raw,
                        errors.union(more),
                        slices,
                        exchangeMids,
                        allMids,
                        quotes,
                        bestExecution,
                        routes,
                        bands,
                        arbitrage);
    }
}
