package io.depthflow.job;

import io.depthflow.job.cross.CrossExchangeStage;
import io.depthflow.job.cross.DislocationSeconds;
import io.depthflow.job.cross.LiquidityOptions;
import io.depthflow.job.cross.LiquidityStage;
import io.depthflow.job.errors.DeadLetters;
import io.depthflow.job.functions.BookBuilder;
import io.depthflow.job.functions.StreamKey;
import io.depthflow.job.functions.TrackConnections;
import io.depthflow.sources.model.MidPrice;
import io.depthflow.sources.model.RawMessage;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

import java.util.Collection;

/**
 * The stream-mode topology (live WebSocket books, or a WebSocket capture replayed). It writes the
 * same {@link Outputs} as poll mode ({@link DepthflowJob}), so the same tables and BI views.
 *
 * <pre>
 * raw WebSocket messages and connection events (timestamped, watermarked at the source)
 *   ├─► raw (bronze)
 *   └─► track-connections (source parallelism, forward: each connection in arrival order)
 *          │  └─ sequence gaps, disconnects, stale feeds, connection-level errors ─► errors
 *          └─► keyBy(exchange|market) ─► book-builder (live book in keyed state, 60 s windows)
 *                 ├─ checksum mismatches, malformed, exchange errors ─► errors
 *                 ├─ $100k slices at window end ─► slices (silver)
 *                 ├─ quotes at window end ─► quotes (gold) ─┐
 *                 ├─ window-end books (cut) ─► keyBy(market) ─► liquidity-stage ─► routes, bands, dislocations
 *                 ├─ top-of-book changes ─────────────────────────► dislocation-seconds (open time of each dislocation)
 *                 └─ time-weighted mids (flagged) ─► exchange mids (gold)
 *                        └─ windows with a mid ─► cross-exchange SQL ─► all mids, best execution
 * </pre>
 */
public final class StreamWorkflow {

    private StreamWorkflow() {}

    /**
     * Defines the pipeline on {@code raw} (kinds {@code ws} and {@code ws_event}), whose records
     * must carry event timestamps (received_at) and watermarks, and keep each connection's messages
     * in arrival order within one parallel instance.
     */
    public static Outputs define(StreamExecutionEnvironment env, DataStream<RawMessage> raw, long[] notionals) {
        return define(env, raw, notionals, null, 0);
    }

    /**
     * As {@link #define(StreamExecutionEnvironment, DataStream, long[])}, for a job that knows its
     * books: {@code books} lists them as {@code exchange|market} keys, and a book restored from a
     * savepoint that is not among them is closed and dropped (null: the input decides, as for a
     * replay or the raw log).
     */
    public static Outputs define(
            StreamExecutionEnvironment env, DataStream<RawMessage> raw, long[] notionals, Collection<String> books) {
        return define(env, raw, notionals, books, 0);
    }

    /** As {@link #define}, for a job streaming {@code expectedExchanges} exchanges per market (0 = unknown). */
    public static Outputs define(
            StreamExecutionEnvironment env, DataStream<RawMessage> raw, long[] notionals, int expectedExchanges) {
        return define(env, raw, notionals, null, expectedExchanges);
    }

    /**
     * The full form: {@code books} as in {@link #define(StreamExecutionEnvironment, DataStream,
     * long[], Collection)}, {@code expectedExchanges} as in {@link #define(StreamExecutionEnvironment,
     * DataStream, long[], int)}.
     */
    public static Outputs define(
            StreamExecutionEnvironment env,
            DataStream<RawMessage> raw,
            long[] notionals,
            Collection<String> books,
            int expectedExchanges) {
        return define(env, raw, notionals, books, expectedExchanges, LiquidityOptions.defaults(notionals));
    }

    /** As the full form, with the taker fees and depth bands of the liquidity analytics. */
    public static Outputs define(
            StreamExecutionEnvironment env,
            DataStream<RawMessage> raw,
            long[] notionals,
            Collection<String> books,
            int expectedExchanges,
            LiquidityOptions liquidity) {
        SingleOutputStreamOperator<RawMessage> routed =
                raw.process(new TrackConnections())
                        .uid(OperatorIds.TRACK_CONNECTIONS)
                        .name("Track connections")
                        .setParallelism(raw.getParallelism());

        SingleOutputStreamOperator<MidPrice> exchangeMids =
                routed.keyBy(new StreamKey())
                        .process(new BookBuilder(notionals, books, liquidity))
                        .uid(OperatorIds.BOOK_BUILDER)
                        .name("Book builder");

        DataStream<MidPrice> withMid =
                exchangeMids.filter(m -> m.samples > 0)
                        .uid(OperatorIds.STREAM_MIDS_WITH_VALUE)
                        .name("Windows with a mid");

        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
        tEnv.getConfig().set("table.exec.uid.generation", "ALWAYS");
        CrossExchangeStage.Result cross =
                CrossExchangeStage.apply(tEnv, withMid, exchangeMids.getSideOutput(BookBuilder.QUOTES), expectedExchanges);

        LiquidityStage.Result liquidityRows = LiquidityStage.apply(
                exchangeMids.getSideOutput(BookBuilder.WINDOW_BOOKS), liquidity, expectedExchanges);

        return new Outputs(
                raw,
                routed.getSideOutput(DeadLetters.TAG).union(exchangeMids.getSideOutput(DeadLetters.TAG)),
                exchangeMids.getSideOutput(BookBuilder.SLICES),
                exchangeMids,
                cross.allMids(),
                exchangeMids.getSideOutput(BookBuilder.QUOTES),
                cross.bestExecution())
                .withLiquidity(liquidityRows.routes(), liquidityRows.bands(),
                        DislocationSeconds.apply(liquidityRows.arbitrage(), exchangeMids.getSideOutput(BookBuilder.TOPS), liquidity));
    }
}
