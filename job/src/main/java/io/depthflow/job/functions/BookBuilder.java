package io.depthflow.job.functions;

import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeutils.base.LongSerializer;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

import io.depthflow.job.book.BookSync;
import io.depthflow.job.book.L2Book;
import io.depthflow.job.book.StreamBookState;
import io.depthflow.job.cross.LiquidityOptions;
import io.depthflow.job.cross.TopOfBook;
import io.depthflow.job.cross.WindowBook;
import io.depthflow.job.errors.DeadLetters;
import io.depthflow.job.stream.BookMessageHandler;
import io.depthflow.job.stream.StreamWindows;
import io.depthflow.sources.model.BookSlice;
import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.MidPrice;
import io.depthflow.sources.ws.BookEvent;

import java.math.BigDecimal;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;

/**
 * The stream mode's per-book operator (uid {@code book-builder}), keyed by {@code exchange|market}:
 * it keeps the live L2 book in keyed state and turns it into the same minute outputs as poll mode.
 *
 * <p>Per message (in arrival order, event time = received time): the open window is integrated up
 * to the message's time (closing every window boundary crossed on the way), then the message is
 * applied through {@link BookMessageHandler}: the input is the venue-free {@link BookEvent}s of the
 * decode step ({@link TrackConnections}), level changes as exact scaled longs with their integrity
 * verdict attached, so nothing here parses JSON (errors of the messages were recorded there, with
 * the payload). Per window, when the watermark passes its end: one {@link MidPrice} on the main
 * output (time-weighted over the usable time, flagged), and on the side outputs {@link #QUOTES}
 * (per side and notional) and {@link #SLICES} (bid and ask, $100k), computed on the book at the
 * window's end only when it is usable ({@link StreamWindows}). Outputs carry the timestamp {@code
 * window_end - 1}, so the cross-exchange stage windows them like poll mode's.
 *
 * <p>State ({@link StreamBookStateSerializer}: explicit, versioned, 16 bytes per level):
 *
 * <ul>
 *   <li>{@value #STATE_BOOK}: {@code ValueState<StreamBookState>}, the book, its sync status and
 *       the open window's accumulator;
 *   <li>{@value #STATE_CLOSED}: {@code MapState<Long, StreamBookState>}, a window closed by a later
 *       message before the watermark reached its end: its state at the end, kept until its timer
 *       emits it, then removed. When that later message came after a silence of several minutes,
 *       the same copy is rolled through the silent minutes one at a time as their timers fire (the
 *       book stood still through them): a silence of any length costs one copy and one timer.
 * </ul>
 *
 * <p>Lateness: a message older than the open window (its own window was closed, by the watermark or
 * by a later message of the book) is still applied, or the book would diverge from the feed, but it
 * becomes a {@code late} row in {@link DeadLetters#TAG} (with the payload, which the decode step
 * attaches to every event it cannot rule out being late) and the window that took it is flagged
 * {@code late} (unless already flagged for an earlier reason).
 *
 * <p>A job that names its books ({@link #BookBuilder(long[], Collection)}, the live stream) closes
 * a restored key whose book it no longer configures at that key's next timer: its open window is
 * written (flagged {@code job_restarted}), then its state is cleared and no timer is set again.
 *
 * <p>Restore: every run draws a fresh epoch; a book whose state comes from an earlier run (a
 * restore) is dropped the first time it is touched, as {@code job_restarted}, from the last time it
 * was known, because the messages between the checkpoint and now were never seen. It is usable
 * again at the snapshot that the source's new subscription brings. Windows emitted before the
 * checkpoint are not in the state, so they are not emitted again; a window emitted after it is
 * emitted again with the same key (ReplacingMergeTree, read with FINAL by the BI views), so no
 * window shows twice, and the earlier row stays when it had more usable time (the version ranks
 * completeness first: ClickHouse's {@code RowVersions}).
 *
 * <p>At the end of a bounded input (watermark {@code Long.MAX_VALUE}) the last window is closed at
 * the book's last message, not at the minute's end, and the key's state is cleared. A window that
 * the input ended without reaching (the book was carried into it when the watermark, moved by other
 * source subtasks still running, passed the end of its last message's window) covers no observed
 * time and is not written.
 */
public class BookBuilder extends KeyedProcessFunction<String, BookEvent, MidPrice> {

    private static final long serialVersionUID = 1L;

    /** State names: permanent, like the operator uid. */
    public static final String STATE_BOOK = "stream-book";

    public static final String STATE_CLOSED = "stream-closed-windows";

    public static final OutputTag<ExecutionQuote> QUOTES =
            new OutputTag<>("stream-execution-quotes") {};

    public static final OutputTag<BookSlice> SLICES = new OutputTag<>("stream-book-slices") {};

    /**
     * Each change of the book's top (best bid and ask, or no longer usable), for dislocation time.
     */
    public static final OutputTag<TopOfBook> TOPS = new OutputTag<>("stream-tops-of-book") {};

    /** The book at each window's end, cut for the cross-venue liquidity stage, when usable. */
    public static final OutputTag<WindowBook> WINDOW_BOOKS =
            new OutputTag<>("stream-window-books") {};

    private final long[] notionals;
    private final HashSet<String> configured;
    private final LiquidityOptions liquidity;

    /** The depth bands each book integrates over time ({@link StreamBookState#trackBands}). */
    private final int[] bands;

    private transient ValueState<StreamBookState> books;
    private transient MapState<Long, StreamBookState> closed;
    private transient BookMessageHandler handler;
    private transient TopWatch topBefore;
    private transient long epoch;
    private transient Counter snapshots;
    private transient Counter updates;
    private transient Counter checksumFailures;
    private transient Counter resets;
    private transient Counter ignoredUpdates;
    private transient Counter lateMessages;

    /** A builder for every book its input names (replay, Kafka: the input decides). */
    public BookBuilder(long[] notionals) {
        this(notionals, null);
    }

    /**
     * @param notionals the quote notionals, e.g. 50000 and 100000
     * @param books the configured books as {@code exchange|market} keys; a restored key not among
     *     them is closed and cleared at its next timer. Null: every key is configured.
     */
    public BookBuilder(long[] notionals, Collection<String> books) {
        this(notionals, books, null);
    }

    /**
     * As {@link #BookBuilder(long[], Collection)}, with the taker fees of the all-in quotes and
     * what the window books for {@link #WINDOW_BOOKS} must hold.
     */
    public BookBuilder(long[] notionals, Collection<String> books, LiquidityOptions liquidity) {
        if (notionals.length == 0 || Arrays.stream(notionals).anyMatch(n -> n <= 0)) {
            throw new IllegalArgumentException(
                    "notionals must be positive and at least one: " + Arrays.toString(notionals));
        }
        this.notionals = notionals.clone();
        this.liquidity = liquidity == null ? LiquidityOptions.defaults(this.notionals) : liquidity;
        this.bands = this.liquidity.bandsBps();
        this.configured = books == null ? null : new HashSet<>(books);
    }

    public static ValueStateDescriptor<StreamBookState> bookDescriptor() {
        return new ValueStateDescriptor<>(STATE_BOOK, new StreamBookStateSerializer());
    }

    public static MapStateDescriptor<Long, StreamBookState> closedDescriptor() {
        return new MapStateDescriptor<>(
                STATE_CLOSED, LongSerializer.INSTANCE, new StreamBookStateSerializer());
    }

    @Override
    public void open(OpenContext openContext) {
        books = getRuntimeContext().getState(bookDescriptor());
        closed = getRuntimeContext().getMapState(closedDescriptor());
        handler = new BookMessageHandler();
        topBefore = new TopWatch();
        epoch = new SecureRandom().nextLong();
        var metrics = getRuntimeContext().getMetricGroup();
        snapshots = metrics.counter("bookSnapshots");
        updates = metrics.counter("bookUpdates");
        checksumFailures = metrics.counter("checksumFailures");
        resets = metrics.counter("bookResets");
        ignoredUpdates = metrics.counter("ignoredUpdates");
        lateMessages = metrics.counter("lateMessages");
    }

    @Override
    public void processElement(BookEvent event, Context ctx, Collector<MidPrice> out)
            throws Exception {
        long t = ctx.timestamp() == null ? event.receivedAt : ctx.timestamp();
        StreamBookState s = books.value();
        if (s == null) {
            s =
                    new StreamBookState(
                            event.exchange,
                            event.market,
                            BookSync.forExchange(event.exchange),
                            epoch,
                            t);
            ctx.timerService().registerEventTimeTimer(s.windowEnd() - 1);
        }
        s.trackBands(bands);
        topBefore.capture(s);
        s.adoptEpoch(epoch);
        if (t < s.windowStart() && event.kind != BookEvent.Kind.RESET) {
            // Older than the window it would change (its own was closed, maybe written already).
            // It is still applied, or the book would diverge from the feed; the window that
            // takes it is flagged, and the row says what came late.
            lateMessages.inc();
            ctx.output(
                    DeadLetters.TAG,
                    new IngestError(
                            event.exchange,
                            event.market,
                            event.receivedAt,
                            IngestError.LATE,
                            event.exchange
                                    + " "
                                    + event.market
                                    + ": message of "
                                    + Instant.ofEpochMilli(t)
                                    + " arrived after its window "
                                    + Instant.ofEpochMilli(StreamBookState.windowStart(t))
                                    + " was closed (watermark "
                                    + Instant.ofEpochMilli(ctx.timerService().currentWatermark())
                                    + "); applied to the window of "
                                    + Instant.ofEpochMilli(s.windowStart())
                                    + ", flagged late",
                            event.payload == null ? "" : event.payload));
            s.flagLate();
        }
        advance(s, Math.max(t, s.lastTime()), ctx);
        BookMessageHandler.Result result =
                handler.handle(event, s.sync(), e -> ctx.output(DeadLetters.TAG, e));
        switch (result) {
            case SNAPSHOT:
                snapshots.inc();
                break;
            case UPDATE:
                updates.inc();
                break;
            case CHECKSUM_FAILED:
                checksumFailures.inc();
                break;
            case RESET:
                resets.inc();
                break;
            case IGNORED:
                ignoredUpdates.inc();
                break;
            default:
                break;
        }
        s.noteChange(
                result == BookMessageHandler.Result.SNAPSHOT
                        || result == BookMessageHandler.Result.UPDATE);
        books.update(s);
        if (topBefore.changedIn(s)) {
            ctx.output(TOPS, top(s, t));
        }
    }

    /**
     * A book's top as primitives: whether a message changed it is told without building a {@link
     * TopOfBook} (two BigDecimals) before and after every message. Changed means exactly what
     * {@link TopOfBook#sameTop} compares: usability, and the best bid and ask with their scale.
     */
    private static final class TopWatch {
        private boolean usable;
        private long bid;
        private long ask;
        private int scale;

        void capture(StreamBookState s) {
            usable = s.usable();
            if (usable) {
                L2Book b = s.book();
                bid = b.bestBid();
                ask = b.bestAsk();
                scale = b.priceScale();
            }
        }

        boolean changedIn(StreamBookState s) {
            if (s.usable() != usable) {
                return true;
            }
            if (!usable) {
                return false;
            }
            L2Book b = s.book();
            return b.bestBid() != bid || b.bestAsk() != ask || b.priceScale() != scale;
        }
    }

    /** The book's top at {@code t}: its best bid and ask when usable. */
    private static TopOfBook top(StreamBookState s, long t) {
        if (!s.usable()) {
            return new TopOfBook(s.exchange(), s.market(), t, false, null, null);
        }
        L2Book b = s.book();
        return new TopOfBook(
                s.exchange(),
                s.market(),
                t,
                true,
                BigDecimal.valueOf(b.bestBid(), b.priceScale()),
                BigDecimal.valueOf(b.bestAsk(), b.priceScale()));
    }

    /**
     * Integrates up to {@code t}. When {@code t} lies beyond the open window, that window is set
     * aside at its end (one copy, emitted by its own timer) and the window of {@code t} opens with
     * the book carried in. The windows a silence crossed in between are not stored: the book stood
     * still through them, so the set-aside copy is rolled through them one at a time when its timer
     * fires ({@link #continueSilence}). A silence of any length costs one copy and one timer.
     */
    private void advance(StreamBookState s, long t, Context ctx) throws Exception {
        if (t >= s.windowEnd()) {
            s.integrateTo(s.windowEnd());
            closed.put(s.windowStart(), s.copy());
            s.rollWindowTo(StreamBookState.windowStart(t));
            ctx.timerService().registerEventTimeTimer(s.windowEnd() - 1);
        }
        s.integrateTo(t);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<MidPrice> out)
            throws Exception {
        long start = timestamp + 1 - StreamBookState.WINDOW_MS;
        StreamBookState done = closed.get(start);
        if (done != null) {
            closed.remove(start);
            done.trackBands(bands);
            emit(done, ctx, out);
            continueSilence(done, ctx);
            return;
        }
        StreamBookState s = books.value();
        if (s == null || s.windowStart() != start) {
            return;
        }
        s.trackBands(bands);
        s.adoptEpoch(epoch);
        boolean endOfInput = ctx.timerService().currentWatermark() == Long.MAX_VALUE;
        if (!endOfInput) {
            s.integrateTo(s.windowEnd());
        }
        if (!endOfInput || s.lastTime() > s.windowStart()) {
            emit(s, ctx, out);
        }
        // else: the input ended without covering any time of this window. The book was only
        // carried into it (the watermark of other source subtasks, still running, passed the end
        // of its last message's window), so nothing of it was observed: it is not written.
        if (endOfInput || !isConfigured(ctx.getCurrentKey())) {
            // The input ended, or this book is no longer configured (a restore that dropped its
            // market): its last window is written, and the key keeps no state and no timer.
            books.clear();
            return;
        }
        s.rollWindow();
        ctx.timerService().registerEventTimeTimer(s.windowEnd() - 1);
        books.update(s);
    }

    /**
     * After a set-aside window is emitted: if the next window was crossed by a silence (before the
     * open window, not set aside itself), the same book stood through all of it; the copy becomes
     * that window and waits for its timer.
     */
    private void continueSilence(StreamBookState done, OnTimerContext ctx) throws Exception {
        long next = done.windowEnd();
        StreamBookState s = books.value();
        if (s == null || next >= s.windowStart() || closed.contains(next)) {
            return;
        }
        done.rollWindow();
        done.integrateTo(done.windowEnd());
        closed.put(next, done);
        ctx.timerService().registerEventTimeTimer(done.windowEnd() - 1);
    }

    private boolean isConfigured(String key) {
        return configured == null || configured.contains(key);
    }

    private void emit(StreamBookState s, OnTimerContext ctx, Collector<MidPrice> out) {
        out.collect(StreamWindows.mid(s));
        StreamWindows.quotes(s, notionals, liquidity, q -> ctx.output(QUOTES, q));
        StreamWindows.windowBook(s, liquidity, w -> ctx.output(WINDOW_BOOKS, w));
        StreamWindows.slices(s, slice -> ctx.output(SLICES, slice));
    }
}
