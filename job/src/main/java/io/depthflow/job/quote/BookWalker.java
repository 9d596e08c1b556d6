package io.depthflow.job.quote;

import io.depthflow.sources.model.BookSlice;
import io.depthflow.sources.model.OrderBookSnapshot;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.Arrays;

/**
 * Execution-price math on an exact book. Pure functions, no Flink.
 *
 * <p>Walking rule for a market order of target quote notional {@code N}: take whole levels, best
 * first, while the cumulative quote notional {@code sum(price x qty)} stays below {@code N}; then
 * take the part of the next level that reaches {@code N} exactly ({@code (N - cum) / price} base
 * units, the whole level when it reaches {@code N} exactly). {@code avg_price = N / base_qty}. When
 * the side runs out first, the walk is incomplete and {@code avg_price} is over what exists.
 *
 * <p>Notionals and whole-level quantities are exact; the only rounding is the division for a cut
 * level and for the average, done with 34 significant digits ({@link MathContext#DECIMAL128}),
 * far below the 18 fraction digits stored.
 */
public final class BookWalker {

    /** Precision of the divisions (34 significant digits). */
    public static final MathContext MC = MathContext.DECIMAL128;

    /** Scale of prices and quantities written to ClickHouse (Decimal(38, 18)). */
    public static final int STORED_SCALE = 18;

    private static final BigDecimal TEN_THOUSAND = BigDecimal.valueOf(10_000);

    private BookWalker() {}

    /** Walks the asks (buy) or the bids (sell) of {@code book} for {@code targetNotional}. */
    public static Walk walk(OrderBookSnapshot book, Side side, BigDecimal targetNotional) {
        if (targetNotional.signum() <= 0) {
            throw new IllegalArgumentException("notional must be positive: " + targetNotional);
        }
        long[] prices = side == Side.BUY ? book.askPrices : book.bidPrices;
        long[] sizes = side == Side.BUY ? book.askSizes : book.bidSizes;
        if (prices.length == 0) {
            throw new IllegalArgumentException("the " + (side == Side.BUY ? "ask" : "bid") + " side is empty");
        }
        BigDecimal cum = BigDecimal.ZERO;
        BigDecimal base = BigDecimal.ZERO;
        for (int i = 0; i < prices.length; i++) {
            BigDecimal price = BigDecimal.valueOf(prices[i], book.priceScale);
            BigDecimal qty = BigDecimal.valueOf(sizes[i], book.sizeScale);
            BigDecimal levelNotional = price.multiply(qty);
            BigDecimal next = cum.add(levelNotional);
            if (next.compareTo(targetNotional) < 0) {
                cum = next;
                base = base.add(qty);
                continue;
            }
            BigDecimal part =
                    next.compareTo(targetNotional) == 0
                            ? qty
                            : targetNotional.subtract(cum).divide(price, MC);
            base = base.add(part);
            return new Walk(
                    side,
                    targetNotional,
                    true,
                    targetNotional.divide(base, MC),
                    price,
                    base,
                    targetNotional,
                    i + 1);
        }
        return new Walk(
                side,
                targetNotional,
                false,
                cum.divide(base, MC),
                BigDecimal.valueOf(prices[prices.length - 1], book.priceScale),
                base,
                cum,
                prices.length);
    }

    /**
     * Slippage of a walk against a reference mid, in basis points, positive when the order does
     * worse than the mid: {@code (avg - mid) / mid} for buys, {@code (mid - avg) / mid} for sells.
     */
    public static double slippageBps(Walk walk, BigDecimal mid) {
        BigDecimal diff =
                walk.side() == Side.BUY
                        ? walk.avgPrice().subtract(mid)
                        : mid.subtract(walk.avgPrice());
        return diff.multiply(TEN_THOUSAND).divide(mid, MC).doubleValue();
    }

    /** (ask - bid) / mid in basis points. */
    public static double spreadBps(BigDecimal bestBid, BigDecimal bestAsk) {
        BigDecimal mid = bestBid.add(bestAsk).divide(BigDecimal.valueOf(2), MC);
        return bestAsk.subtract(bestBid).multiply(TEN_THOUSAND).divide(mid, MC).doubleValue();
    }

    /**
     * The shortest prefix of one side, best first, whose cumulative notional reaches {@code
     * target} (the whole side when it is thinner), with its cumulative notional and the average
     * price of executing exactly {@code target} on it.
     *
     * @param bookSide {@code bid} or {@code ask}
     */
    public static BookSlice slice(OrderBookSnapshot book, String bookSide, BigDecimal target) {
        boolean asks;
        if ("ask".equals(bookSide)) {
            asks = true;
        } else if ("bid".equals(bookSide)) {
            asks = false;
        } else {
            throw new IllegalArgumentException("book side must be bid or ask: " + bookSide);
        }
        long[] prices = asks ? book.askPrices : book.bidPrices;
        long[] sizes = asks ? book.askSizes : book.bidSizes;
        BigDecimal cum = BigDecimal.ZERO;
        int n = 0;
        while (n < prices.length && cum.compareTo(target) < 0) {
            cum =
                    cum.add(
                            BigDecimal.valueOf(prices[n], book.priceScale)
                                    .multiply(BigDecimal.valueOf(sizes[n], book.sizeScale)));
            n++;
        }
        Walk walk = walk(book, asks ? Side.BUY : Side.SELL, target);
        return new BookSlice(
                book.exchange,
                book.market,
                book.receivedAt,
                bookSide,
                book.priceScale,
                book.sizeScale,
                Arrays.copyOf(prices, n),
                Arrays.copyOf(sizes, n),
                toStored(cum),
                toStored(walk.avgPrice()),
                walk.complete());
    }

    /** Rounds a derived value half-even to the stored scale (18 fraction digits). */
    public static BigDecimal toStored(BigDecimal v) {
        return v.setScale(STORED_SCALE, RoundingMode.HALF_EVEN);
    }
}
