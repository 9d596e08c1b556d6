package io.depthflow.job.quote;

import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.venue.BookLevels;

import java.math.BigDecimal;

/**
 * The one place that builds an {@link ExecutionQuote}, for both modes: the walk of one side of a
 * book ({@link BookWalker}) for one notional, its figures rounded to the stored scale, and its
 * slippage against the book's mid. The caller fills in the window's completeness ({@code samples},
 * {@code expectedSamples}, {@code goodMs}) and the all-in fields. Pure Java, no Flink.
 */
public final class ExecutionQuotes {

    private ExecutionQuotes() {}

    /**
     * The quote of a market {@code side} order of {@code notional} whole quote units on {@code
     * book}, in the window starting at {@code windowStart}.
     *
     * @param mid the book's mid the slippage is measured against ({@link BookWalker#mid})
     * @param bookTime event time of the book
     */
    public static ExecutionQuote quote(
            long windowStart,
            String exchange,
            String market,
            long bookTime,
            BookLevels book,
            BigDecimal mid,
            Side side,
            long notional) {
        Walk w = BookWalker.walk(book, side, notional);
        return new ExecutionQuote(
                windowStart,
                exchange,
                market,
                side.wireName(),
                notional,
                w.complete(),
                BookWalker.toStored(w.avgPrice()),
                BookWalker.toStored(w.worstPrice()),
                BookWalker.toStored(w.baseQty()),
                BookWalker.toStored(w.filledNotional()),
                w.levels(),
                BookWalker.slippageBps(w, mid),
                bookTime);
    }
}
