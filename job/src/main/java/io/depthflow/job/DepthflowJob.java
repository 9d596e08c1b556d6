package io.depthflow.job;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

import io.depthflow.clickhouse.ClickHouseSinkOptions;
import io.depthflow.job.cross.CrossExchangeStage;
import io.depthflow.job.cross.LiquidityOptions;
import io.depthflow.job.cross.LiquidityStage;
import io.depthflow.job.errors.DeadLetters;
import io.depthflow.job.functions.BookKey;
import io.depthflow.job.functions.MinuteBookAggregator;
import io.depthflow.job.functions.ParseBooks;
import io.depthflow.job.functions.SliceBooks;
import io.depthflow.job.options.RunOptions;
import io.depthflow.job.options.UsageException;
import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.model.MidPrice;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;

/**
 * The depthflow topology. This class only wires operators; the math lives in {@code job.quote}, the
 * operators in {@code job.functions}, the cross-exchange SQL in {@code job.cross}.
 *
 * <pre>
 * raw messages (timestamped, watermarked at the source)
 *   ├─► raw (bronze)
 *   └─► parse-books ──► slice-books (silver)
 *          │  └─ dead letters ─► errors
 *          └─► keyBy(exchange|market) ─► minute-aggregator ─► exchange mids, quotes (gold)
 *                                              │                 └─► cross-exchange SQL ─► all mids, best execution
 *                                              ├─ window-end books (cut) ─► keyBy(market) ─► liquidity-stage ─► routes, bands, dislocations
 *                                              └─ late ─► errors
 * </pre>
 *
 * <p>{@link #main(String[])} is the entry point on a Flink cluster; it takes the same arguments as
 * {@code bin/depthflow run}.
 */
public final class DepthflowJob {

    private DepthflowJob() {}

    /**
     * Defines the pipeline on {@code raw}, whose records must already carry event timestamps
     * (received_at) and watermarks.
     */
    public static Outputs defineWorkflow(
            StreamExecutionEnvironment env, DataStream<RawMessage> raw, long[] notionals) {
        return defineWorkflow(env, raw, notionals, 0, 0);
    }

    /**
     * As {@link #defineWorkflow(StreamExecutionEnvironment, DataStream, long[])}, for sources that
     * poll every {@code pollIntervalMs} of event time: a minute's expected polls, and the gaps
     * between polls longer than that are recorded ({@link MinuteBookAggregator}); and of {@code
     * expectedExchanges} exchanges per market (0 when unknown), for the cross rows' completeness.
     */
    public static Outputs defineWorkflow(
            StreamExecutionEnvironment env,
            DataStream<RawMessage> raw,
            long[] notionals,
            long pollIntervalMs,
            int expectedExchanges) {
        return defineWorkflow(
                env,
                raw,
                notionals,
                pollIntervalMs,
                expectedExchanges,
                LiquidityOptions.defaults(notionals));
    }

    /**
     * The full form: as {@link #defineWorkflow(StreamExecutionEnvironment, DataStream, long[],
     * long, int)}, with the taker fees and depth bands of the liquidity analytics.
     */
    public static Outputs defineWorkflow(
            StreamExecutionEnvironment env,
            DataStream<RawMessage> raw,
            long[] notionals,
            long pollIntervalMs,
            int expectedExchanges,
            LiquidityOptions liquidity) {
        SingleOutputStreamOperator<OrderBookSnapshot> books =
                raw.process(new ParseBooks()).uid(OperatorIds.PARSE_BOOKS).name("Parse books");

        DataStream<io.depthflow.sources.model.BookSlice> slices =
                books.flatMap(new SliceBooks()).uid(OperatorIds.SLICE_BOOKS).name("$100k slices");

        SingleOutputStreamOperator<MidPrice> exchangeMids =
                books.keyBy(new BookKey())
                        .process(new MinuteBookAggregator(notionals, pollIntervalMs, liquidity))
                        .uid(OperatorIds.MINUTE_AGGREGATOR)
                        .name("Minute mids and quotes");

        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
        tEnv.getConfig().set("table.exec.uid.generation", "ALWAYS");
        CrossExchangeStage.Result cross =
                CrossExchangeStage.apply(
                        tEnv,
                        exchangeMids,
                        exchangeMids.getSideOutput(MinuteBookAggregator.QUOTES),
                        expectedExchanges);

        LiquidityStage.Result liquidityRows =
                LiquidityStage.apply(
                        exchangeMids.getSideOutput(MinuteBookAggregator.WINDOW_BOOKS),
                        liquidity,
                        expectedExchanges);

        return new Outputs(
                        raw.filter(RawMessage::hasResponse)
                                .uid(OperatorIds.RAW_RESPONSES)
                                .name("Responses"),
                        books.getSideOutput(DeadLetters.TAG)
                                .union(exchangeMids.getSideOutput(DeadLetters.TAG)),
                        slices,
                        exchangeMids.union(exchangeMids.getSideOutput(MinuteBookAggregator.GAPS)),
                        cross.allMids(),
                        exchangeMids.getSideOutput(MinuteBookAggregator.QUOTES),
                        cross.bestExecution())
                .withLiquidity(
                        liquidityRows.routes(), liquidityRows.bands(), liquidityRows.arbitrage());
    }

    /**
     * The whole job of {@code opts} on {@code env}: {@link StreamWorkflow#build} in stream mode,
     * {@link PollWorkflow#build} otherwise.
     */
    public static Outputs build(
            StreamExecutionEnvironment env,
            RunOptions opts,
            ClickHouseSinkOptions sink,
            SourceClock clock) {
        return opts.stream
                ? StreamWorkflow.build(env, opts, sink, clock)
                : PollWorkflow.build(env, opts, sink, clock);
    }

    /**
     * Cluster entry point: {@code flink run depthflow-job.jar [run options]}. ClickHouse must be
     * given by URL; the cluster provides everything else. It uses nothing of the command line tool
     * ({@code io.depthflow.job.cli}): the options, the workflows and the environment are the job's.
     */
    public static void main(String[] args) throws Exception {
        RunOptions opts = RunOptions.parse(args);
        if (opts.clickhouseUrl == null) {
            throw new UsageException(
                    "run: on a Flink cluster --clickhouse-url is required (the embedded ClickHouse is for local runs)");
        }
        ClickHouseSinkOptions sink = JobEnvironment.sinkOptions(opts.clickhouseUrl);
        JobEnvironment.migrate(sink, opts.rawTtlDays);
        JobEnvironment.checkKafka(opts);
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        build(env, opts, sink, opts.clock());
        env.execute("depthflow");
    }
}
