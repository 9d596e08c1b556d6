package io.depthflow.job.stream;

import io.depthflow.job.book.L2Book;
import io.depthflow.job.book.StreamBookState;
import io.depthflow.job.cross.AllInQuotes;
import io.depthflow.job.cross.LiquidityOptions;
import io.depthflow.job.cross.WindowBook;
import io.depthflow.job.quote.BookWalker;
import io.depthflow.job.quote.ExecutionQuotes;
import io.depthflow.job.quote.Side;
import io.depthflow.sources.model.BookSlice;
import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.model.MidPrice;
import io.depthflow.sources.model.OrderBookSnapshot;

import java.math.BigDecimal;
import java.util.function.Consumer;

/**
 * The outputs of one closed stream-mode window, from the book's state at the window's end (pure
 * Java; see the README's stream-mode definitions):
 *
 * <ul>
 *   <li>{@link #mid}: the time-weighted mid over the usable time ({@link StreamBookState}), the
 *       window's flag and usable milliseconds; best bid and ask of the book at the end, or of the
 *       last usable state when the book is not usable at the end; no mid (0, {@code samples} 0)
 *       when the book was never usable in the window. A window with no usable time is still a row
 *       (in {@code mid_price_1m}, left out of the BI view): the minute and why it has no data.
 *   <li>{@link #quotes} and {@link #slices}: computed on the book at the window's end, and only
 *       when it is usable there (synced, both sides, not crossed); otherwise nothing, never numbers
 *       from a book that is not known-good.
 * </ul>
 */
public final class StreamWindows {

    private static final BigDecimal SLICE_TARGET = BigDecimal.valueOf(BookSlice.TARGET_NOTIONAL);

    private StreamWindows() {}

    public static MidPrice mid(StreamBookState s) {
        BigDecimal mid = s.timeWeightedMid(BookWalker.MC);
        L2Book book = s.book();
        boolean usable = s.usable();
        long bid = usable ? book.bestBid() : s.lastBid();
        long ask = usable ? book.bestAsk() : s.lastAsk();
        int scale = usable ? book.priceScale() : s.integralScale();
        BigDecimal bestBid = BigDecimal.valueOf(bid, scale);
        BigDecimal bestAsk = BigDecimal.valueOf(ask, scale);
        MidPrice m =
                new MidPrice(
                        s.windowStart(),
                        s.market(),
                        s.exchange(),
                        BookWalker.toStored(mid == null ? BigDecimal.ZERO : mid),
                        mid == null ? 0 : Math.max(1, s.samples()),
                        BookWalker.toStored(bestBid),
                        BookWalker.toStored(bestAsk),
                        bid > 0 && ask > 0 ? BookWalker.spreadBps(bestBid, bestAsk) : 0.0);
        m.bookStatus = s.flag();
        m.goodMs = s.goodMs();
        m.exchanges = new String[] {s.exchange()};
        m.exchangeSamples = m.samples;
        return m;
    }

    /** One quote per side and notional, on the book at the window's end, when it is usable. */
    public static void quotes(StreamBookState s, long[] notionals, Consumer<ExecutionQuote> out) {
        quotes(s, notionals, null, out);
    }

    /**
     * As {@link #quotes(StreamBookState, long[], Consumer)}, with the all-in quotes at the venue's
     * taker fee of {@code liquidity} (null: no all-in quotes).
     */
    public static void quotes(
            StreamBookState s,
            long[] notionals,
            LiquidityOptions liquidity,
            Consumer<ExecutionQuote> out) {
        if (!s.usable()) {
            return;
        }
        L2Book book = s.book();
        OrderBookSnapshot snapshot = liquidity == null ? null : snapshot(s);
        BigDecimal mid =
                BigDecimal.valueOf(book.bestBid() + book.bestAsk(), book.priceScale())
                        .divide(BigDecimal.valueOf(2));
        for (Side side : Side.values()) {
            for (long notional : notionals) {
                ExecutionQuote q =
                        ExecutionQuotes.quote(
                                s.windowStart(),
                                s.exchange(),
                                s.market(),
                                s.bookTime(),
                                book,
                                mid,
                                side,
                                notional);
                q.samples = Math.max(1, s.samples());
                q.goodMs = s.goodMs(); // the window's completeness: its usable time
                if (snapshot != null) {
                    AllInQuotes.attach(q, snapshot, side, liquidity.feeBps(s.exchange()));
                }
                out.accept(q);
            }
        }
    }

    /**
     * The book at the window's end, cut to what the liquidity stage needs ({@link
     * LiquidityOptions#truncate}), when it is usable there; nothing otherwise, as for the quotes.
     * It carries the window's time-weighted depth bands ({@link StreamBookState#timeWeightedBands})
     * when the book integrated any usable time of the window with them.
     */
    public static void windowBook(
            StreamBookState s, LiquidityOptions liquidity, Consumer<WindowBook> out) {
        if (!s.usable()) {
            return;
        }
        WindowBook w =
                new WindowBook(
                        s.windowStart(),
                        Math.max(1, s.samples()),
                        0,
                        s.goodMs(),
                        liquidity.truncate(snapshot(s)));
        BigDecimal[] bid = s.timeWeightedBands(true, BookWalker.MC);
        if (bid != null) {
            w.twBandsBps = s.bandsBps().clone();
            w.twBidNotional = bid;
            w.twAskNotional = s.timeWeightedBands(false, BookWalker.MC);
        }
        out.accept(w);
    }

    private static OrderBookSnapshot snapshot(StreamBookState s) {
        return s.book().toSnapshot(s.exchange(), s.market(), s.bookTime(), 0, 0);
    }

    /**
     * The bid and ask $100k slices of the book at the window's end (stamped end - 1 ms), when
     * usable.
     */
    public static void slices(StreamBookState s, Consumer<BookSlice> out) {
        if (!s.usable()) {
            return;
        }
        long at = s.windowEnd() - 1;
        out.accept(BookWalker.slice(s.book(), s.exchange(), s.market(), at, "bid", SLICE_TARGET));
        out.accept(BookWalker.slice(s.book(), s.exchange(), s.market(), at, "ask", SLICE_TARGET));
    }
}
