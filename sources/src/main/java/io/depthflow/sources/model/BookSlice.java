package io.depthflow.sources.model;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Objects;

/**
 * The $100k slice of one side of one polled book: the shortest prefix of levels, best first, whose
 * cumulative notional (sum of price x size) reaches {@link #TARGET_NOTIONAL} (all levels when the
 * side is thinner). Lands in {@code order_book_slices}.
 */
public class BookSlice {
    public static final long TARGET_NOTIONAL = 100_000L;

    public String exchange;

    public String market;

    /** Event time of the book, UTC epoch ms. */
    public long receivedAt;

    /** {@code bid} or {@code ask}. */
    public String side;

    public int priceScale;

    public int sizeScale;

    /** Scaled prices of the prefix, best first. */
    public long[] prices;

    /** Scaled sizes of the prefix. */
    public long[] sizes;

    /** Sum of price x size over the prefix (exact). */
    public BigDecimal cumulativeNotional;

    /**
     * Average price of executing exactly the target notional on this side (over the whole side when
     * it is thinner), scale 18.
     */
    public BigDecimal vwap;

    /** Whether the side holds at least the target notional. */
    public boolean complete;

    public BookSlice() {}

    public BookSlice(
            String exchange,
            String market,
            long receivedAt,
            String side,
            int priceScale,
            int sizeScale,
            long[] prices,
            long[] sizes,
            BigDecimal cumulativeNotional,
            BigDecimal vwap,
            boolean complete) {
        this.exchange = exchange;
        this.market = market;
        this.receivedAt = receivedAt;
        this.side = side;
        this.priceScale = priceScale;
        this.sizeScale = sizeScale;
        this.prices = prices;
        this.sizes = sizes;
        this.cumulativeNotional = cumulativeNotional;
        this.vwap = vwap;
        this.complete = complete;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BookSlice)) {
            return false;
        }
        BookSlice that = (BookSlice) o;
        return Objects.equals(exchange, that.exchange)
                && Objects.equals(market, that.market)
                && receivedAt == that.receivedAt
                && Objects.equals(side, that.side)
                && priceScale == that.priceScale
                && sizeScale == that.sizeScale
                && Arrays.equals(prices, that.prices)
                && Arrays.equals(sizes, that.sizes)
                && Objects.equals(cumulativeNotional, that.cumulativeNotional)
                && Objects.equals(vwap, that.vwap)
                && complete == that.complete;
    }

    @Override
    public int hashCode() {
        int h =
                Objects.hash(
                        exchange,
                        market,
                        receivedAt,
                        side,
                        priceScale,
                        sizeScale,
                        cumulativeNotional,
                        vwap,
                        complete);
        h = 31 * h + Arrays.hashCode(prices);
        h = 31 * h + Arrays.hashCode(sizes);
        return h;
    }

    @Override
    public String toString() {
        return "BookSlice{"
                + "exchange="
                + exchange
                + ", "
                + "market="
                + market
                + ", "
                + "receivedAt="
                + receivedAt
                + ", "
                + "side="
                + side
                + ", "
                + "priceScale="
                + priceScale
                + ", "
                + "sizeScale="
                + sizeScale
                + ", "
                + "prices="
                + Arrays.toString(prices)
                + ", "
                + "sizes="
                + Arrays.toString(sizes)
                + ", "
                + "cumulativeNotional="
                + cumulativeNotional
                + ", "
                + "vwap="
                + vwap
                + ", "
                + "complete="
                + complete
                + "}";
    }
}
