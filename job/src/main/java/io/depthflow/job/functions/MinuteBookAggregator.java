package io.depthflow.job.functions;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.StateTtlConfig;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import io.depthflow.job.cross.AllInQuotes;
import io.depthflow.job.cross.LiquidityOptions;
import io.depthflow.job.cross.WindowBook;
import io.depthflow.job.errors.DeadLetters;
import io.depthflow.job.quote.BookWalker;
import io.depthflow.job.quote.ExecutionQuotes;
import io.depthflow.job.quote.Side;
import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.MidPrice;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.venue.BookLevels;

import java.math.BigDecimal;
import java.time.Duration;
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
 *   <li>on {@link #QUOTES} one {@link ExecutionQuote} per side (buy, sell) and configured notional,
 *       computed on the window's last book with {@link BookWalker}.
 * </ul>
 *
 * <p>State: one {@link MinuteAccumulator} per open window in a {@link MapState} (more than one is
 * open when a book's next window starts before the watermark closes the previous one). Every
 * window's entry is removed when its timer fires, so an idle book holds no state. A snapshot whose
 * window has already been emitted is late: it goes to {@link DeadLetters#TAG} as {@code late} (its
 * raw payload is in the bronze table) and changes nothing already written.
 *
 * <p>Completeness: each mid and quote carries its window's {@code samples} and the polls the window
 * should have had at the configured poll interval ({@code expectedSamples}, 0 when the interval is
 * unknown), so a partial minute is visible and never replaces a complete one (ClickHouse's {@code
 * RowVersions}).
 *
 * <p>Gaps: {@value #STATE_LAST_WINDOW} keeps the latest window that had a snapshot, per book (one
 * long; expires 30 days after its last write). When a book's next snapshot opens a window more than
 * a poll interval (at least a minute) after it, nothing was observed in between: the job was not
 * running (a restore from a checkpoint), or every poll failed. Each missing minute, at most {@value
 * #MAX_GAP_ROWS} per gap (the first ones), gets a {@link MidPrice} with {@code samples} 0 and
 * {@code book_status} {@value #NO_DATA} on {@link #GAPS} (written to {@code mid_price_1m}, never to
 * the cross-exchange stage; the BI view leaves such rows out, as it does stream mode's windows
 * without a usable book), and the whole gap one {@link IngestError#GAP} row on {@link
 * DeadLetters#TAG}. Restored from a savepoint without that state, the latest open window stands in
 * for it. With a known poll interval of at most a minute, gap minutes are also written as they
 * pass: after each window a timer at the next minute's end checks it had a poll ({@value
 * #STATE_COVERED} remembers the latest minute written, so none is written twice), so a venue whose
 * polls all fail shows its missing minutes while it is down.
 *
 * <p>Output records carry the timestamp {@code window_end - 1}, so the cross-exchange stage can
 * window them again by event time.
 */
public class MinuteBookAggregator
        extends KeyedProcessFunction<String, OrderBookSnapshot, MidPrice> {

    private static final long serialVersionUID = 1L;

    public static final long WINDOW_MS = 60_000L;

    /** State name: permanent, like the operator uid. */
    public static final String STATE_ACCUMULATORS = "minute-accumulators";

    /** State name: permanent, like the operator uid. */
    public static final String STATE_LAST_WINDOW = "minute-last-window";

    /** State name: the latest minute written for the book, with data or as a gap. */
    public static final String STATE_COVERED = "minute-covered-until";

    public static final OutputTag<ExecutionQuote> QUOTES = new OutputTag<>("execution-quotes") {};

    /**
     * Each window's last book, cut to what the cross-venue liquidity stage needs, with the window's
     * polls: the input of {@link LiquidityStage}.
     */
    public static final OutputTag<WindowBook> WINDOW_BOOKS =
            new OutputTag<>("minute-window-books") {};

    /** Minutes nothing was observed in, as mids with {@code samples} 0: for mid_price_1m only. */
    public static final OutputTag<MidPrice> GAPS = new OutputTag<>("minute-gaps") {};

    /** {@code book_status} of a minute without any snapshot. */
    public static final String NO_DATA = "no_data";

    /** Per-minute gap rows per gap at most (a day); the gap's error row covers all of it. */
    public static final int MAX_GAP_ROWS = 1_440;

    private final long[] notionals;

    private final long pollIntervalMs;

    private final LiquidityOptions liquidity;

    private transient MapState<Long, MinuteAccumulator> windows;
    private transient ValueState<Long> lastWindow;
    private transient ValueState<Long> covered;
    private transient Counter lateSnapshots;
    private transient Counter gapMinutes;

    /**
     * @param notionals the quote notionals to price, e.g. 50000 and 100000
     */
    public MinuteBookAggregator(long[] notionals) {
        this(notionals, 0);
    }

    /**
     * @param notionals the quote notionals to price, e.g. 50000 and 100000
     * @param pollIntervalMs the sources' poll interval in event time, or 0 when unknown (a replay,
     *     the Kafka log): gives each window's {@code expectedSamples}
     */
    public MinuteBookAggregator(long[] notionals, long pollIntervalMs) {
        this(notionals, pollIntervalMs, null);
    }

    /**
     * As {@link #MinuteBookAggregator(long[], long)}, with the taker fees of the all-in quotes and
     * what the window books (null: the public fees and default bands) for {@link #WINDOW_BOOKS}
     * must hold.
     */
    public MinuteBookAggregator(long[] notionals, long pollIntervalMs, LiquidityOptions liquidity) {
        if (pollIntervalMs < 0) {
            throw new IllegalArgumentException(
                    "poll interval must be 0 (unknown) or positive: " + pollIntervalMs);
        }
        this.pollIntervalMs = pollIntervalMs;
        if (notionals.length == 0) {
            throw new IllegalArgumentException("at least one notional is required");
        }
        for (long n : notionals) {
            if (n <= 0) {
                throw new IllegalArgumentException(
                        "notionals must be positive: " + Arrays.toString(notionals));
            }
        }
        this.notionals = notionals.clone();
        this.liquidity = liquidity == null ? LiquidityOptions.defaults(this.notionals) : liquidity;
    }

    public static MapStateDescriptor<Long, MinuteAccumulator> stateDescriptor() {
        return new MapStateDescriptor<>(
                STATE_ACCUMULATORS, Types.LONG, TypeInformation.of(MinuteAccumulator.class));
    }

    public static ValueStateDescriptor<Long> lastWindowDescriptor() {
        return minuteDescriptor(STATE_LAST_WINDOW);
    }

    public static ValueStateDescriptor<Long> coveredDescriptor() {
        return minuteDescriptor(STATE_COVERED);
    }

    private static ValueStateDescriptor<Long> minuteDescriptor(String name) {
        ValueStateDescriptor<Long> d = new ValueStateDescriptor<>(name, Types.LONG);
        d.enableTimeToLive(StateTtlConfig.newBuilder(Duration.ofDays(30)).build());
        return d;
    }

    @Override
    public void open(OpenContext openContext) {
        windows = getRuntimeContext().getMapState(stateDescriptor());
        lastWindow = getRuntimeContext().getState(lastWindowDescriptor());
        covered = getRuntimeContext().getState(coveredDescriptor());
        lateSnapshots = getRuntimeContext().getMetricGroup().counter("lateSnapshots");
        gapMinutes = getRuntimeContext().getMetricGroup().counter("gapMinutes");
    }

    /**
     * Polls a minute should have at {@code pollIntervalMs}: {@code floor(60 s / interval)} (a
     * minute gets that many or one more); 0 when the interval is unknown or longer than a minute.
     */
    public static int expectedSamples(long pollIntervalMs) {
        return pollIntervalMs <= 0 || pollIntervalMs > WINDOW_MS
                ? 0
                : (int) (WINDOW_MS / pollIntervalMs);
    }

    /** The longest silence that is not a gap: the poll interval rounded up to whole minutes. */
    static long allowedSilenceMs(long pollIntervalMs) {
        return Math.max(1, Math.floorDiv(pollIntervalMs + WINDOW_MS - 1, WINDOW_MS)) * WINDOW_MS;
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
            recordGap(book, start, ctx);
        }
        acc.add(book);
        windows.put(start, acc);
    }

    /** Records the minutes between the book's last window with data and {@code start}, if any. */
    private void recordGap(OrderBookSnapshot book, long start, Context ctx) throws Exception {
        Long last = lastWindow.value();
        if (last == null) {
            for (Long open : windows.keys()) { // restored from a savepoint without the last window
                last = last == null ? open : Math.max(last, open);
            }
        }
        lastWindow.update(last == null ? start : Math.max(last, start));
        if (last == null || start <= last) {
            return;
        }
        long from = last + WINDOW_MS;
        if (start - last <= allowedSilenceMs(pollIntervalMs)) {
            return;
        }
        long minutes = (start - from) / WINDOW_MS;
        Long done = covered.value(); // minutes the watch timer already wrote as gaps
        for (long w = done == null ? from : Math.max(from, done + WINDOW_MS);
                w < start && w < from + MAX_GAP_ROWS * WINDOW_MS;
                w += WINDOW_MS) {
            gapRow(book.exchange, book.market, w, ctx);
        }
        covered.update(done == null ? start : Math.max(done, start));
        ctx.output(
                DeadLetters.TAG,
                new IngestError(
                        book.exchange,
                        book.market,
                        from,
                        IngestError.GAP,
                        "no data: no poll succeeded or the job was not running between "
                                + Instant.ofEpochMilli(from)
                                + " and "
                                + Instant.ofEpochMilli(start)
                                + " ("
                                + minutes
                                + (minutes == 1 ? " minute" : " minutes")
                                + (minutes > MAX_GAP_ROWS
                                        ? "; mid_price_1m has rows for the first " + MAX_GAP_ROWS
                                        : "")
                                + ")",
                        ""));
    }

    private void gapRow(String exchange, String market, long window, Context ctx) {
        MidPrice gap =
                new MidPrice(
                        window,
                        market,
                        exchange,
                        BigDecimal.ZERO,
                        0,
                        BigDecimal.ZERO,
                        BigDecimal.ZERO,
                        0.0);
        gap.bookStatus = NO_DATA;
        gap.expectedSamples = expectedSamples(pollIntervalMs);
        gap.exchanges = new String[] {exchange};
        gapMinutes.inc();
        ctx.output(GAPS, gap);
    }

    /**
     * With a known poll interval of at most a minute every minute should have a poll: after each
     * window, a timer at the next minute's end checks that it had one, and writes it as a gap (then
     * checks the next) when it did not, so a venue whose polls all fail shows its missing minutes
     * as they pass, not when it comes back; at most {@value #MAX_GAP_ROWS} minutes after the last
     * data, and never at the end of a bounded input.
     */
    private void watchNextMinute(long start, OnTimerContext ctx) throws Exception {
        if (expectedSamples(pollIntervalMs) == 0
                || ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
            return;
        }
        Long last = lastWindow.value();
        if (last != null && start + WINDOW_MS - last <= MAX_GAP_ROWS * WINDOW_MS) {
            ctx.timerService().registerEventTimeTimer(start + 2 * WINDOW_MS - 1);
        }
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MidPrice> out)
            throws Exception {
        long start = timestamp - WINDOW_MS + 1;
        MinuteAccumulator acc = windows.get(start);
        if (acc == null) { // a watch timer: no poll in this minute
            if (expectedSamples(pollIntervalMs) == 0
                    || ctx.timerService().currentWatermark() == Long.MAX_VALUE) {
                return;
            }
            Long done = covered.value();
            if (done == null || done < start) {
                String[] key = ctx.getCurrentKey().split("\\|", 2);
                gapRow(key[0], key[1], start, ctx);
                covered.update(start);
            }
            watchNextMinute(start, ctx);
            return;
        }
        windows.remove(start);
        Long done = covered.value();
        covered.update(done == null ? start : Math.max(done, start));
        watchNextMinute(start, ctx);
        OrderBookSnapshot book = acc.lastBook;
        BigDecimal mid =
                BookWalker.toStored(
                        acc.midSum.divide(BigDecimal.valueOf(acc.samples), BookWalker.MC));
        BigDecimal bestBid = book.bestBid();
        BigDecimal bestAsk = book.bestAsk();
        int expected = expectedSamples(pollIntervalMs);
        MidPrice m =
                new MidPrice(
                        start,
                        book.market,
                        book.exchange,
                        mid,
                        acc.samples,
                        BookWalker.toStored(bestBid),
                        BookWalker.toStored(bestAsk),
                        BookWalker.spreadBps(bestBid, bestAsk));
        m.expectedSamples = expected;
        m.exchanges = new String[] {book.exchange};
        m.exchangeSamples = acc.samples;
        out.collect(m);
        BigDecimal closeMid = book.mid();
        BookLevels levels = book.levels();
        BigDecimal feeBps = liquidity.feeBps(book.exchange);
        ctx.output(
                WINDOW_BOOKS,
                new WindowBook(start, acc.samples, expected, 0, liquidity.truncate(book)));
        for (Side side : Side.values()) {
            for (long notional : notionals) {
                ExecutionQuote q =
                        ExecutionQuotes.quote(
                                start,
                                book.exchange,
                                book.market,
                                book.receivedAt,
                                levels,
                                closeMid,
                                side,
                                notional);
                q.samples = acc.samples;
                q.expectedSamples = expected;
                AllInQuotes.attach(q, book, side, feeBps);
                ctx.output(QUOTES, q);
            }
        }
    }
}
