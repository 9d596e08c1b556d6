package io.depthflow.job.quote;

import io.depthflow.job.book.Int128;
import io.depthflow.sources.model.BookSlice;
import io.depthflow.sources.model.Decimals;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.venue.BookLevels;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Execution-price math on an exact book, the one walker of both modes: it reads a {@link
 * BookLevels} view, which the live {@code L2Book} (stream mode) and a parsed {@link
 * OrderBookSnapshot} ({@link OrderBookSnapshot#levels()}, poll mode) both offer. Pure functions, no
 * Flink.
 *
 * <p>Walking rule for a market order of target quote notional {@code N}: take whole levels, best
 * first, while the cumulative quote notional {@code sum(price x qty)} stays below {@code N}; then
 * take the part of the next level that reaches {@code N} exactly ({@code (N - cum) / price} base
 * units, the whole level when it reaches {@code N} exactly). {@code avg_price = N / base_qty}. When
 * the side runs out first, the walk is incomplete and {@code avg_price} is over what exists.
 *
 * <p>Notionals and whole-level quantities are exact; the only rounding is the division for a cut
 * level and for the average, done with 34 significant digits ({@link MathContext#DECIMAL128}), far
 * below the 18 fraction digits stored.
 *
 * <p>How: the scan over levels is exact integer arithmetic, allocating nothing per level. Each
 * level's notional is {@code price × size} at scale {@code priceScale + sizeScale}, summed in 128
 * bits ({@link Int128}) and compared with the target at the same scale (rounded up when the target
 * has more fraction digits: an integer sum is below {@code N} exactly when it is below that
 * ceiling, and equal only when {@code N} has no more digits). Only the crossing level and the final
 * averages become {@code BigDecimal}s, with the values and scales that summing {@code BigDecimal}s
 * from {@code BigDecimal.ZERO} gives ({@code OneWalkerTest} checks this against that plain {@code
 * BigDecimal} walk on random books of both types). The running sum stays below {@code N} and a
 * level's notional below 2^126, so the scan cannot overflow once the scaled target is below 2^126
 * (checked: a larger one is rejected).
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
        return walk(book.levels(), side, targetNotional);
    }

    /** Walks the asks (buy) or the bids (sell) of {@code book} for {@code targetNotional}. */
    public static Walk walk(BookLevels book, Side side, BigDecimal targetNotional) {
        if (targetNotional.signum() <= 0) {
            throw new IllegalArgumentException("notional must be positive: " + targetNotional);
        }
        Int128 target = new Int128();
        boolean exact = scaledTarget(targetNotional, book.priceScale() + book.sizeScale(), target);
        return walk(book, side, targetNotional, target, exact);
    }

    /**
     * Walks the asks (buy) or bids (sell) for a quote notional of {@code notional} whole quote
     * units (e.g. USD): {@link #walk(BookLevels, Side, BigDecimal)} for {@code
     * BigDecimal.valueOf(notional)}.
     */
    public static Walk walk(BookLevels book, Side side, long notional) {
        if (notional <= 0) {
            throw new IllegalArgumentException("notional must be positive: " + notional);
        }
        Int128 target = scaledTarget(notional, book.priceScale() + book.sizeScale());
        return walk(book, side, BigDecimal.valueOf(notional), checkRange(target), true);
    }

    /**
     * The walk, for {@code targetDecimal} whose value at scale {@code priceScale + sizeScale} is
     * {@code target} ({@code exact}) or just below {@code target} (rounded up, not {@code exact}).
     */
    private static Walk walk(
            BookLevels book, Side side, BigDecimal targetDecimal, Int128 target, boolean exact) {
        boolean bid = side == Side.SELL;
        int n = book.count(bid);
        if (n == 0) {
            throw new IllegalArgumentException("the " + (bid ? "bid" : "ask") + " side is empty");
        }
        int priceScale = book.priceScale();
        int sizeScale = book.sizeScale();
        int notionalScale = priceScale + sizeScale;
        Int128 cum = new Int128();
        Int128 next = new Int128();
        Int128 base = new Int128();
        for (int i = 0; i < n; i++) {
            long price = book.price(bid, i);
            long size = book.size(bid, i);
            next.set(cum);
            next.addProduct(price, size);
            int c = next.compareTo(target);
            if (c < 0) {
                cum.set(next);
                base.add(size);
                continue;
            }
            BigDecimal priceDecimal = BigDecimal.valueOf(price, priceScale);
            // The values and scales of BigDecimal sums started at BigDecimal.ZERO.
            BigDecimal cumDecimal = i == 0 ? BigDecimal.ZERO : cum.toBigDecimal(notionalScale);
            BigDecimal baseDecimal = i == 0 ? BigDecimal.ZERO : base.toBigDecimal(sizeScale);
            BigDecimal part =
                    c == 0 && exact
                            ? BigDecimal.valueOf(size, sizeScale)
                            : targetDecimal.subtract(cumDecimal).divide(priceDecimal, MC);
            baseDecimal = baseDecimal.add(part);
            return new Walk(
                    side,
                    targetDecimal,
                    true,
                    targetDecimal.divide(baseDecimal, MC),
                    priceDecimal,
                    baseDecimal,
                    targetDecimal,
                    i + 1);
        }
        BigDecimal cumDecimal = cum.toBigDecimal(notionalScale);
        BigDecimal baseDecimal = base.toBigDecimal(sizeScale);
        return new Walk(
                side,
                targetDecimal,
                false,
                cumDecimal.divide(baseDecimal, MC),
                BigDecimal.valueOf(book.price(bid, n - 1), priceScale),
                baseDecimal,
                cumDecimal,
                n);
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
     * The shortest prefix of one side, best first, whose cumulative notional reaches {@code target}
     * (the whole side when it is thinner), with its cumulative notional and the average price of
     * executing exactly {@code target} on it.
     *
     * @param bookSide {@code bid} or {@code ask}
     */
    public static BookSlice slice(OrderBookSnapshot book, String bookSide, BigDecimal target) {
        return slice(book.levels(), book.exchange, book.market, book.receivedAt, bookSide, target);
    }

    /**
     * {@link #slice(OrderBookSnapshot, String, BigDecimal)} on any book's levels, stamped with the
     * given venue, market and time.
     *
     * @param bookSide {@code bid} or {@code ask}
     */
    public static BookSlice slice(
            BookLevels book,
            String exchange,
            String market,
            long time,
            String bookSide,
            BigDecimal target) {
        boolean bid;
        if ("bid".equals(bookSide)) {
            bid = true;
        } else if ("ask".equals(bookSide)) {
            bid = false;
        } else {
            throw new IllegalArgumentException("book side must be bid or ask: " + bookSide);
        }
        int notionalScale = book.priceScale() + book.sizeScale();
        Int128 targetScaled = new Int128();
        // An integer sum is below the target exactly when it is below the target's ceiling.
        scaledTarget(target.max(BigDecimal.ZERO), notionalScale, targetScaled);
        Int128 cum = new Int128();
        int count = book.count(bid);
        int n = 0;
        while (n < count && cum.compareTo(targetScaled) < 0) {
            cum.addProduct(book.price(bid, n), book.size(bid, n));
            n++;
        }
        long[] prices = new long[n];
        long[] sizes = new long[n];
        for (int i = 0; i < n; i++) {
            prices[i] = book.price(bid, i);
            sizes[i] = book.size(bid, i);
        }
        Walk walk = walk(book, bid ? Side.SELL : Side.BUY, target);
        BigDecimal cumDecimal = n == 0 ? BigDecimal.ZERO : cum.toBigDecimal(notionalScale);
        return new BookSlice(
                exchange,
                market,
                time,
                bookSide,
                book.priceScale(),
                book.sizeScale(),
                prices,
                sizes,
                toStored(cumDecimal),
                toStored(walk.avgPrice()),
                walk.complete());
    }

    /**
     * (best bid + best ask) / 2 of a book with both sides, exact, as {@link
     * OrderBookSnapshot#mid()}.
     */
    public static BigDecimal mid(BookLevels book) {
        return BigDecimal.valueOf(book.bidPrice(0) + book.askPrice(0), book.priceScale())
                .divide(BigDecimal.valueOf(2));
    }

    /** Rounds a derived value half-even to the stored scale (18 fraction digits). */
    public static BigDecimal toStored(BigDecimal v) {
        return v.setScale(STORED_SCALE, RoundingMode.HALF_EVEN);
    }

    /** {@code notional × 10^scale} in 128 bits, below 2^126. */
    static Int128 scaledTarget(long notional, int scale) {
        Int128 t = Int128.product(notional, Decimals.pow10(Math.min(scale, Decimals.MAX_SCALE)));
        if (scale > Decimals.MAX_SCALE) {
            t.multiply(Decimals.pow10(scale - Decimals.MAX_SCALE));
        }
        return t;
    }

    /**
     * Sets {@code out} to {@code target × 10^scale} rounded up to an integer (non-negative, below
     * 2^126) and returns whether that was exact.
     */
    static boolean scaledTarget(BigDecimal target, int scale, Int128 out) {
        BigDecimal shifted = target.movePointRight(scale);
        BigDecimal ceiling = shifted.setScale(0, RoundingMode.CEILING);
        BigInteger v = ceiling.toBigIntegerExact();
        if (v.bitLength() > 126) {
            throw new IllegalArgumentException(
                    "notional "
                            + target
                            + " is too large for a book at "
                            + scale
                            + " notional fraction digits");
        }
        out.set(Int128.of(v));
        return ceiling.compareTo(shifted) == 0;
    }

    private static Int128 checkRange(Int128 target) {
        if ((target.hi() >>> 62) != 0) {
            throw new IllegalArgumentException(
                    "notional too large for the book's scales: " + target);
        }
        return target;
    }
}
