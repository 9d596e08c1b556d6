package io.depthflow.job.functions;

import io.depthflow.job.errors.DeadLetters;
import io.depthflow.job.quote.BookWalker;
import io.depthflow.job.quote.Side;
import io.depthflow.job.quote.Walk;
import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.MidPrice;
import io.depthflow.sources.model.OrderBookSnapshot;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;

/**
 * The per-book minute stage, keyed by {@code exchange|market} ({@link BookKey}).
 *
 * <p>Windows are tumbling, 60 s, aligned to the minute in UTC, in event time (the snapshot's
 * received_at). For each window of each book it emits, when the watermark passes the window's end:
 *
 * <ul>
 *   <li>on the main output one {@link MidPrice}: the arithmetic mean of (best bid + best ask) / 2
 *       over the window's snapshots, and the best bid, best ask and spread of its last book;
 *   <li>on {@link #QUOTES} one {@link ExecutionQuote} per side (buy, sell) and configured
 *       notional, computed on the window's last book with {@link BookWalker}.
 * </ul>
 *
 * <p>State: one {@link MinuteAccumulator} per open window in a {@link MapState} (more than one is
 * open when a book's next window starts before the watermark closes the previous one). Every
 * window's entry is removed when its timer fires, so an idle book holds no state. A snapshot whose
 * window has already been emitted is late: it goes to {@link DeadLetters#TAG} as {@code late}
 * (its raw payload is in the bronze table) and changes nothing already written.
 *
 * <p>Output records carry the timestamp {@code window_end - 1}, so the cross-exchange stage can
 * window them again by event time.
 */
public class MinuteBookAggregator extends KeyedProcessFunction<String, OrderBookSnapshot, MidPrice> {

    private static final long serialVersionUID = 1L;

    public static final long WINDOW_MS = 60_000L;

    /** State name: permanent, like the operator uid. */
    public static final String STATE_ACCUMULATORS = "minute-accumulators";

    public static final OutputTag<ExecutionQuote> QUOTES = new OutputTag<>("execution-quotes") {};

    private final long[] notionals;

    private transient MapState<Long, MinuteAccumulator> windows;
    private transient Counter lateSnapshots;

    /** @param notionals the quote notionals to price, e.g. 50000 and 100000 */
    public MinuteBookAggregator(long[] notionals) {
        if (notionals.length == 0) {
            throw new IllegalArgumentException("at least one notional is required");
        }
        for (long n : notionals) {
            if (n <= 0) {
                throw new IllegalArgumentException("notionals must be positive: " + Arrays.toString(notionals));
            }
        }
        this.notionals = notionals.clone();
    }

    public static MapStateDescriptor<Long, MinuteAccumulator> stateDescriptor() {
        return new MapStateDescriptor<>(
                STATE_ACCUMULATORS, Types.LONG, TypeInformation.of(MinuteAccumulator.class));
    }

    @Override
    public void open(OpenContext openContext) {
        windows = getRuntimeContext().getMapState(stateDescriptor());
        lateSnapshots = getRuntimeContext().getMetricGroup().counter("lateSnapshots");
    }

    /** Start of the minute containing {@code timestamp} (UTC epoch ms). */
    public static long windowStart(long timestamp) {
        return Math.floorDiv(timestamp, WINDOW_MS) * WINDOW_MS;
    }

    @Override
    public void processElement(OrderBookSnapshot book, Context ctx, Collector<MidPrice> out)
            throws Exception {
        long start = windowStart(book.receivedAt);
        long end = start + WINDOW_MS - 1;
        if (end <= ctx.timerService().currentWatermark()) {
            lateSnapshots.inc();
            ctx.output(
                    DeadLetters.TAG,
                    new IngestError(
                            book.exchange,
                            book.market,
                            book.receivedAt,
                            IngestError.LATE,
                            "snapshot at "
                                    + Instant.ofEpochMilli(book.receivedAt)
                                    + " arrived after its window "
                                    + Instant.ofEpochMilli(start)
                                    + " was emitted (watermark "
                                    + Instant.ofEpochMilli(ctx.timerService().currentWatermark())
                                    + ")",
                            ""));
            return;
        }
        MinuteAccumulator acc = windows.get(start);
        if (acc == null) {
            acc = new MinuteAccumulator();
            ctx.timerService().registerEventTimeTimer(end);
        }
        acc.add(book);
        windows.put(start, acc);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MidPrice> out) throws Exception {
        long start = timestamp - WINDOW_MS + 1;
        MinuteAccumulator acc = windows.get(start);
        if (acc == null) {
            return;
        }
        windows.remove(start);
        OrderBookSnapshot book = acc.lastBook;
        BigDecimal mid =
                BookWalker.toStored(
                        acc.midSum.divide(BigDecimal.valueOf(acc.samples), BookWalker.MC));
        BigDecimal bestBid = book.bestBid();
        BigDecimal bestAsk = book.bestAsk();
        out.collect(
                new MidPrice(
                        start,
                        book.market,
                        book.exchange,
                        mid,
                        acc.samples,
                        BookWalker.toStored(bestBid),
                        BookWalker.toStored(bestAsk),
                        BookWalker.spreadBps(bestBid, bestAsk)));
        BigDecimal closeMid = book.mid();
        for (Side side : Side.values()) {
            for (long notional : notionals) {
                Walk w = BookWalker.walk(book, side, BigDecimal.valueOf(notional));
                ctx.output(
                        QUOTES,
                        new ExecutionQuote(
                                start,
                                book.exchange,
                                book.market,
                                side.wireName(),
                                notional,
                                w.complete(),
                                BookWalker.toStored(w.avgPrice()),
                                BookWalker.toStored(w.worstPrice()),
                                BookWalker.toStored(w.baseQty()),
                                BookWalker.toStored(w.filledNotional()),
                                w.levels(),
                                BookWalker.slippageBps(w, closeMid),
                                book.receivedAt));
            }
        }
    }
}
