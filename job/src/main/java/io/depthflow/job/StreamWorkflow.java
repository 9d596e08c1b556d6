package io.depthflow.job;

import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.table.api.bridge.java.StreamTableEnvironment;

import io.depthflow.clickhouse.ClickHouseSinkOptions;
import io.depthflow.job.cross.CrossExchangeStage;
import io.depthflow.job.cross.DislocationSeconds;
import io.depthflow.job.cross.LiquidityOptions;
import io.depthflow.job.cross.LiquidityStage;
import io.depthflow.job.errors.DeadLetters;
import io.depthflow.job.functions.BookBuilder;
import io.depthflow.job.functions.BookKey;
import io.depthflow.job.functions.StreamKey;
import io.depthflow.job.functions.TrackConnections;
import io.depthflow.job.io.ClickHouseOutputs;
import io.depthflow.job.io.RawInput;
import io.depthflow.job.io.ReplaySource;
import io.depthflow.job.io.kafka.KafkaRaw;
import io.depthflow.job.options.RunOptions;
import io.depthflow.job.stream.BookSyncVerifier;
import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.MidPrice;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.ws.BookEvent;
import io.depthflow.sources.ws.FeedSettings;
import io.depthflow.sources.ws.WsBookSource;
import io.depthflow.sources.ws.WsBookSourceBuilder;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * The stream-mode topology (live WebSocket books, or a WebSocket capture replayed). It writes the
 * same {@link Outputs} as poll mode ({@link DepthflowJob}), so the same tables and BI views.
 *
 * <pre>
 * raw WebSocket messages and connection events (timestamped, watermarked at the source)
 *   ├─► raw (bronze)
 *   └─► track-connections = the decode step (source parallelism, forward: each connection in
 *          │   arrival order; each message parsed once, checksums verified on its own books)
 *          │  └─ sequence gaps, disconnects, stale feeds, checksum mismatches, malformed,
 *          │     exchange errors (all with the raw payload) ─► errors
 *          └─► BookEvent (venue-free, levels as scaled longs, verdict attached)
 *                ─► keyBy(exchange|market) ─► book-builder (live book in keyed state, 60 s windows)
 *                 ├─ late messages ─► errors
 *                 ├─ $100k slices at window end ─► slices (silver)
 *                 ├─ quotes at window end ─► quotes (gold) ─┐
 *                 ├─ window-end books (cut) ─► keyBy(market) ─► liquidity-stage ─► routes, bands, dislocations
 *                 ├─ top-of-book changes ─────────────────────────► dislocation-seconds (open time of each dislocation)
 *                 └─ time-weighted mids (flagged) ─► exchange mids (gold)
 *                        └─ windows with a mid ─► cross-exchange SQL ─► all mids, best execution
 * </pre>
 *
 * <p>{@link #build} is the composition root of stream mode (environment settings, source, raw-log
 * sink, topology, ClickHouse sinks), used by the cluster entry ({@link DepthflowJob#main}) and by
 * {@code bin/depthflow run --mode stream}; the {@code define} methods are the topology alone.
 */
public final class StreamWorkflow {

    private StreamWorkflow() {}

    /** The whole stream pipeline on {@code env}: source, topology, ClickHouse sinks. */
    public static Outputs build(
            StreamExecutionEnvironment env,
            RunOptions opts,
            ClickHouseSinkOptions sink,
            SourceClock clock) {
        return build(env, opts, sink, clock, f -> f);
    }

    /**
     * As {@link #build(StreamExecutionEnvironment, RunOptions, ClickHouseSinkOptions,
     * SourceClock)}; {@code feedSettings} has the last say on each feed's settings (tests shorten
     * backoffs).
     */
    public static Outputs build(
            StreamExecutionEnvironment env,
            RunOptions opts,
            ClickHouseSinkOptions sink,
            SourceClock clock,
            UnaryOperator<FeedSettings> feedSettings) {
        JobEnvironment.configure(env, opts);
        DataStream<RawMessage> raw;
        List<String> books = null; // replay and the raw log: the input decides
        DataStream<IngestError> unusableLines = null;
        if (opts.replay != null) {
            RawInput input = ReplaySource.create(env, opts.replay, opts.outOfOrderness);
            raw = input.messages();
            unusableLines = input.errors();
        } else if (opts.readsRawLog()) {
            // Each connection's messages are in one partition, in order (RawLogSerializer's key),
            // so each source subtask owns whole connections, as track-connections needs.
            RawInput input = KafkaRaw.source(env, opts.kafka, opts.outOfOrderness, true);
            raw = input.messages();
            unusableLines = input.errors();
        } else {
            books = new ArrayList<>();
            for (String exchange : opts.exchanges) {
                for (String market : opts.markets) {
                    books.add(BookKey.of(exchange, market));
                }
            }
            WsBookSourceBuilder b =
                    WsBookSource.builder().setClock(clock).setVerifiers(BookSyncVerifier.factory());
            for (String exchange : opts.exchanges) {
                FeedSettings feed =
                        FeedSettings.of(exchange, opts.wsUrls.get(exchange), opts.markets);
                if (opts.depths.containsKey(exchange)) {
                    feed = feed.withDepth(opts.depths.get(exchange));
                }
                b.addFeed(feedSettings.apply(feed.withStaleAfter(opts.staleAfter)));
            }
            if (opts.duration != null) {
                b.setDuration(opts.duration);
            }
            raw = liveSource(env, b.build());
        }
        if (opts.writesRawLog()) {
            KafkaRaw.attachSink(raw, opts.kafka);
        }
        Outputs outputs =
                define(
                                env,
                                raw,
                                opts.notionals,
                                books,
                                opts.replay == null && !opts.readsRawLog()
                                        ? opts.exchanges.size()
                                        : 0, // a log's venues are unknown
                                opts.liquidity)
                        .withMoreErrors(unusableLines);
        ClickHouseOutputs.attach(outputs, sink);
        return outputs;
    }

    /**
     * The live WebSocket source. Its event time and watermarks are the source's own ({@link
     * WsBookSource#watermarks()}): the received time of each message as it is handed over, and per
     * feed a watermark that follows what was handed to Flink, so that no message still queued
     * inside the source under back-pressure is ever behind it ({@code --out-of-orderness} does not
     * apply: nothing handed over later is older).
     */
    public static DataStream<RawMessage> liveSource(
            StreamExecutionEnvironment env, WsBookSource source) {
        return env.fromSource(source, WsBookSource.watermarks(), "Exchange WebSocket books")
                .uid(OperatorIds.SOURCE_WS_BOOKS);
    }

    /**
     * Defines the pipeline on {@code raw} (kinds {@code ws} and {@code ws_event}), whose records
     * must carry event timestamps (received_at) and watermarks, and keep each connection's messages
     * in arrival order within one parallel instance.
     */
    public static Outputs define(
            StreamExecutionEnvironment env, DataStream<RawMessage> raw, long[] notionals) {
        return define(env, raw, notionals, null, 0);
    }

    /**
     * As {@link #define(StreamExecutionEnvironment, DataStream, long[])}, for a job that knows its
     * books: {@code books} lists them as {@code exchange|market} keys, and a book restored from a
     * savepoint that is not among them is closed and dropped (null: the input decides, as for a
     * replay or the raw log).
     */
    public static Outputs define(
            StreamExecutionEnvironment env,
            DataStream<RawMessage> raw,
            long[] notionals,
            Collection<String> books) {
        return define(env, raw, notionals, books, 0);
    }

    /**
     * As {@link #define}, for a job streaming {@code expectedExchanges} exchanges per market (0 =
     * unknown).
     */
    public static Outputs define(
            StreamExecutionEnvironment env,
            DataStream<RawMessage> raw,
            long[] notionals,
            int expectedExchanges) {
        return define(env, raw, notionals, null, expectedExchanges);
    }

    /**
     * The full form: {@code books} as in {@link #define(StreamExecutionEnvironment, DataStream,
     * long[], Collection)}, {@code expectedExchanges} as in {@link
     * #define(StreamExecutionEnvironment, DataStream, long[], int)}.
     */
    public static Outputs define(
            StreamExecutionEnvironment env,
            DataStream<RawMessage> raw,
            long[] notionals,
            Collection<String> books,
            int expectedExchanges) {
        return define(
                env,
                raw,
                notionals,
                books,
                expectedExchanges,
                LiquidityOptions.defaults(notionals));
    }

    /** As the full form, with the taker fees and depth bands of the liquidity analytics. */
    public static Outputs define(
            StreamExecutionEnvironment env,
            DataStream<RawMessage> raw,
            long[] notionals,
            Collection<String> books,
            int expectedExchanges,
            LiquidityOptions liquidity) {
        // The decode step: each message is parsed once, here, next to the source; from here on
        // only venue-free BookEvents travel (the raw payload goes to the raw sinks and errors).
        SingleOutputStreamOperator<BookEvent> routed =
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
                exchangeMids
                        .filter(m -> m.samples > 0)
                        .uid(OperatorIds.STREAM_MIDS_WITH_VALUE)
                        .name("Windows with a mid");

        StreamTableEnvironment tEnv = StreamTableEnvironment.create(env);
        tEnv.getConfig().set("table.exec.uid.generation", "ALWAYS");
        CrossExchangeStage.Result cross =
                CrossExchangeStage.apply(
                        tEnv,
                        withMid,
                        exchangeMids.getSideOutput(BookBuilder.QUOTES),
                        expectedExchanges);

        LiquidityStage.Result liquidityRows =
                LiquidityStage.apply(
                        exchangeMids.getSideOutput(BookBuilder.WINDOW_BOOKS),
                        liquidity,
                        expectedExchanges);

        return new Outputs(
                        raw,
                        routed.getSideOutput(DeadLetters.TAG)
                                .union(exchangeMids.getSideOutput(DeadLetters.TAG)),
                        exchangeMids.getSideOutput(BookBuilder.SLICES),
                        exchangeMids,
                        cross.allMids(),
                        exchangeMids.getSideOutput(BookBuilder.QUOTES),
                        cross.bestExecution())
                .withLiquidity(
                        liquidityRows.routes(),
                        liquidityRows.bands(),
                        DislocationSeconds.apply(
                                liquidityRows.arbitrage(),
                                exchangeMids.getSideOutput(BookBuilder.TOPS),
                                liquidity));
    }
}
