package io.depthflow.sources.model;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * The price of a market order of a given quote notional on one exchange, computed on the last book
 * of a 60 s window. Lands in {@code execution_quotes_1m}; the cross-exchange stage picks the best
 * venue from these.
 */
public class ExecutionQuote {

    /** Window start, UTC epoch ms. */
    public long windowStart;

    public String exchange;

    public String market;

    /** {@code buy} (walks the asks upward) or {@code sell} (walks the bids downward). */
    public String side;

    /** Target quote notional, e.g. 50000 (USD). */
    public long notional;

    /** Whether the book held the whole notional. */
    public boolean complete;

    /** filledNotional / baseQty, scale 18. */
    public BigDecimal avgPrice;

    /** Price of the last level touched. */
    public BigDecimal worstPrice;

    /** Base quantity bought or sold, scale 18. */
    public BigDecimal baseQty;

    /** The target when complete, else everything on that side. */
    public BigDecimal filledNotional;

    /** Levels touched, the partial one included. */
    public int levels;

    /** avgPrice against the book's mid, in bps, positive = worse than mid. */
    public double slippageBps;

    /** Event time of the book the quote was computed on. */
    public long bookTime;

    /** Completeness of the window behind the quote: polls in it (poll mode). */
    public int samples;

    /** Polls the window should have had (poll mode; 0 when unknown and in stream mode). */
    public int expectedSamples;

    /** Milliseconds of the window the book was usable (stream mode; 0 in poll mode). */
    public long goodMs;

    /** The venue's taker fee in basis points the all-in quote was computed with (0 before V006). */
    public double feeBps;

    /**
     * The all-in (fee-inclusive) price: notional / base quantity, walking effective prices (README,
     * "Liquidity analytics"); over what the book held when it ran out. Null before it is computed.
     */
    public BigDecimal allInPrice;

    /** Whether the book held the whole notional at effective prices. */
    public boolean allInComplete;

    public ExecutionQuote() {}

    public ExecutionQuote(
            long windowStart,
            String exchange,
            String market,
            String side,
            long notional,
            boolean complete,
            BigDecimal avgPrice,
            BigDecimal worstPrice,
            BigDecimal baseQty,
            BigDecimal filledNotional,
            int levels,
            double slippageBps,
            long bookTime) {
        this.windowStart = windowStart;
        this.exchange = exchange;
        this.market = market;
        this.side = side;
        this.notional = notional;
        this.complete = complete;
        this.avgPrice = avgPrice;
        this.worstPrice = worstPrice;
        this.baseQty = baseQty;
        this.filledNotional = filledNotional;
        this.levels = levels;
        this.slippageBps = slippageBps;
        this.bookTime = bookTime;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ExecutionQuote)) {
            return false;
        }
        ExecutionQuote that = (ExecutionQuote) o;
        return windowStart == that.windowStart
                && Objects.equals(exchange, that.exchange)
                && Objects.equals(market, that.market)
                && Objects.equals(side, that.side)
                && notional == that.notional
                && complete == that.complete
                && Objects.equals(avgPrice, that.avgPrice)
                && Objects.equals(worstPrice, that.worstPrice)
                && Objects.equals(baseQty, that.baseQty)
                && Objects.equals(filledNotional, that.filledNotional)
                && levels == that.levels
                && Double.compare(slippageBps, that.slippageBps) == 0
                && bookTime == that.bookTime
                && samples == that.samples
                && expectedSamples == that.expectedSamples
                && goodMs == that.goodMs
                && Double.compare(feeBps, that.feeBps) == 0
                && Objects.equals(allInPrice, that.allInPrice)
                && allInComplete == that.allInComplete;
    }

    @Override
    public int hashCode() {
        int h =
                Objects.hash(
                        windowStart,
                        exchange,
                        market,
                        side,
                        notional,
                        complete,
                        avgPrice,
                        worstPrice,
                        baseQty,
                        filledNotional,
                        levels,
                        slippageBps,
                        bookTime,
                        samples,
                        expectedSamples,
                        goodMs,
                        feeBps,
                        allInPrice,
                        allInComplete);
        return h;
    }

    @Override
    public String toString() {
        return "ExecutionQuote{"
                + "windowStart="
                + windowStart
                + ", "
                + "exchange="
                + exchange
                + ", "
                + "market="
                + market
                + ", "
                + "side="
                + side
                + ", "
                + "notional="
                + notional
                + ", "
                + "complete="
                + complete
                + ", "
                + "avgPrice="
                + avgPrice
                + ", "
                + "worstPrice="
                + worstPrice
                + ", "
                + "baseQty="
                + baseQty
                + ", "
                + "filledNotional="
                + filledNotional
                + ", "
                + "levels="
                + levels
                + ", "
                + "slippageBps="
                + slippageBps
                + ", "
                + "bookTime="
                + bookTime
                + ", "
                + "samples="
                + samples
                + ", "
                + "expectedSamples="
                + expectedSamples
                + ", "
                + "goodMs="
                + goodMs
                + ", "
                + "feeBps="
                + feeBps
                + ", "
                + "allInPrice="
                + allInPrice
                + ", "
                + "allInComplete="
                + allInComplete
                + "}";
    }
}
