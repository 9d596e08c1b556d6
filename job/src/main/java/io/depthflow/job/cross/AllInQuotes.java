package io.depthflow.job.cross;

import io.depthflow.job.liquidity.AllInQuote;
import io.depthflow.job.liquidity.Liquidity;
import io.depthflow.job.quote.BookWalker;
import io.depthflow.job.quote.Side;
import io.depthflow.sources.model.ExecutionQuote;
import io.depthflow.sources.model.OrderBookSnapshot;

import java.math.BigDecimal;

/**
 * Fills the all-in (fee-inclusive) columns of an {@code execution_quotes_1m} row from the book its
 * fee-free quote was computed on ({@link Liquidity#allIn}).
 */
public final class AllInQuotes {

    private AllInQuotes() {}

    /**
     * Sets {@code q}'s fee, all-in price and completeness; an empty side leaves the price null
     * (stored as 0, never the best all-in venue).
     */
    public static void attach(
            ExecutionQuote q, OrderBookSnapshot book, Side side, BigDecimal feeBps) {
        AllInQuote a = Liquidity.allIn(book, side, BigDecimal.valueOf(q.notional), feeBps);
        q.feeBps = feeBps.doubleValue();
        q.allInPrice = a.allInPrice() == null ? null : BookWalker.toStored(a.allInPrice());
        q.allInComplete = a.complete() && a.allInPrice() != null;
    }
}
