package io.depthflow.job.book;

import io.depthflow.job.quote.BookWalker;
import io.depthflow.job.quote.Side;
import io.depthflow.job.quote.Walk;
import io.depthflow.sources.model.BookSlice;
import io.depthflow.sources.model.Decimals;

import java.math.BigDecimal;

/**
 * {@link BookWalker}'s walk and slice, on an {@link L2Book} directly: the same rule and the same
 * results, value and scale for value and scale ({@code CompactWalkerTest} checks equality on
 * random books), without building a snapshot or allocating per level.
 *
 * <p>The scan over levels is exact integer arithmetic: each level's notional is {@code price ×
 * size} at scale {@code priceScale + sizeScale}, summed in 128 bits ({@link Int128}) and compared
 * with the target at the same scale. Only the crossing level and the final averages go through
 * {@code BigDecimal} (34 significant digits, {@link BookWalker#MC}), exactly as in {@link
 * BookWalker}.
 */
public final class CompactWalker {

    private CompactWalker() {}

    /**
     * Walks the asks (buy) or bids (sell) for a quote notional of {@code notional} whole quote
     * units (e.g. USD). Throws {@link IllegalArgumentException} when that side is empty.
     */
    public static Walk walk(L2Book book, Side side, long notional) {
        if (notional <= 0) {
            throw new IllegalArgumentException("notional must be positive: " + notional);
        }
        boolean bid = side == Side.SELL;
        int n = book.count(bid);
        if (n == 0) {
            throw new IllegalArgumentException("the " + (bid ? "bid" : "ask") + " side is empty");
        }
        int notionalScale = book.priceScale() + book.sizeScale();
        Int128 target = scaledTarget(notional, notionalScale);
        Int128 cum = new Int128();
        Int128 next = new Int128();
        long baseUnscaled = 0;
        BigDecimal targetDecimal = BigDecimal.valueOf(notional);
        for (int i = 0; i < n; i++) {
            long price = book.price(bid, i);
            long size = book.size(bid, i);
            next.set(cum);
            next.addProduct(price, size);
            int c = next.compareTo(target);
            if (c < 0) {
                cum.set(next);
                baseUnscaled = Math.addExact(baseUnscaled, size);
                continue;
            }
            BigDecimal priceDecimal = BigDecimal.valueOf(price, book.priceScale());
            // Same values and scales as BookWalker: its running sums start at BigDecimal.ZERO.
            BigDecimal cumDecimal = i == 0 ? BigDecimal.ZERO : new BigDecimal(cum.toBigInteger(), notionalScale);
            BigDecimal base = i == 0 ? BigDecimal.ZERO : BigDecimal.valueOf(baseUnscaled, book.sizeScale());
            BigDecimal part =
                    c == 0
                            ? BigDecimal.valueOf(size, book.sizeScale())
                            : targetDecimal.subtract(cumDecimal).divide(priceDecimal, BookWalker.MC);
            base = base.add(part);
            return new Walk(
                    side,
                    targetDecimal,
                    true,
                    targetDecimal.divide(base, BookWalker.MC),
                    priceDecimal,
                    base,
                    targetDecimal,
                    i + 1);
        }
        BigDecimal cumDecimal = new BigDecimal(cum.toBigInteger(), notionalScale);
        BigDecimal base = BigDecimal.valueOf(baseUnscaled, book.sizeScale());
        return new Walk(
                side,
                targetDecimal,
                false,
                cumDecimal.divide(base, BookWalker.MC),
                BigDecimal.valueOf(book.price(bid, n - 1), book.priceScale()),
                base,
                cumDecimal,
                n);
    }

    /**
     * {@link BookWalker#slice} on the compact book: the shortest prefix of one side, best first,
     * whose cumulative notional reaches {@code target} (the whole side when thinner), with its
     * cumulative notional and the average price of executing exactly {@code target}.
     *
     * @param bookSide {@code bid} or {@code ask}
     */
    public static BookSlice slice(
            L2Book book, String exchange, String market, long time, String bookSide, long target) {
        boolean bid;
        if ("bid".equals(bookSide)) {
            bid = true;
        } else if ("ask".equals(bookSide)) {
            bid = false;
        } else {
            throw new IllegalArgumentException("book side must be bid or ask: " + bookSide);
        }
        int notionalScale = book.priceScale() + book.sizeScale();
        Int128 targetScaled = scaledTarget(target, notionalScale);
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
        BigDecimal cumDecimal = n == 0 ? BigDecimal.ZERO : new BigDecimal(cum.toBigInteger(), notionalScale);
        return new BookSlice(
                exchange,
                market,
                time,
                bookSide,
                book.priceScale(),
                book.sizeScale(),
                prices,
                sizes,
                BookWalker.toStored(cumDecimal),
                BookWalker.toStored(walk.avgPrice()),
                walk.complete());
    }

    /** {@code notional × 10^scale} in 128 bits. */
    static Int128 scaledTarget(long notional, int scale) {
        Int128 t = Int128.product(notional, Decimals.pow10(Math.min(scale, Decimals.MAX_SCALE)));
        if (scale > Decimals.MAX_SCALE) {
            t.multiply(Decimals.pow10(scale - Decimals.MAX_SCALE));
        }
        return t;
    }
}
