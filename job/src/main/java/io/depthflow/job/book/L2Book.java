package io.depthflow.job.book;

import io.depthflow.sources.model.Decimals;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.venue.BookLevels;

import java.util.Arrays;

/**
 * A live, exact L2 order book of one (exchange, market), compact and cheap to update. Pure Java, no
 * Flink; the stream job keeps one per key in keyed state (inside {@code StreamBookState}, written
 * by {@code StreamBookStateSerializer}), the {@code verify} command and the source's integrity
 * check keep their own.
 *
 * <p><b>Representation.</b> Each side is a sorted run of levels in two primitive arrays, an
 * unscaled {@code long} price and an unscaled {@code long} size per level (16 bytes), at two scales
 * shared by the whole book: {@link #priceScale()} and {@link #sizeScale()} fraction digits (see
 * {@link Decimals}). No object per level, no boxing, no {@code BigDecimal}. The run is ordered from
 * the worst level to the best, so the best level is the last one: top of book is one array read,
 * and the changes that dominate real feeds, at and near the top, move only the few levels between
 * the change and the best. The run floats inside its arrays with free room at both ends (a
 * gap-at-both-ends deque), so removing the worst levels when truncating to the subscribed depth is
 * O(1), and an insertion moves whichever neighbours are fewer. Lookups scan the top levels and
 * binary-search the rest ({@link Ladder#find}). Asks are stored under the key {@code -price}, so
 * both sides are ascending runs of keys.
 *
 * <p><b>Update rules</b> ({@link #set}): a size of zero removes the level (a removal of a price not
 * in the book is ignored); a positive size at a price in the book replaces that level's size (sizes
 * are absolute, never deltas: Kraken's {@code qty}, Coinbase's {@code new_quantity}); a positive
 * size at a new price inserts a level. {@link #truncate()} then drops the worst levels beyond
 * {@link #maxDepth()} on each side, as Kraken's book channel requires after every message.
 *
 * <p><b>Scales.</b> A value arriving with more fraction digits than the book's scale makes the
 * whole book rescale ({@link #ensureScales}): every unscaled value is multiplied by the power of
 * ten, overflow-checked before anything changes. With scales equal to the fraction digits on the
 * wire, {@code unscaled} and the scale reproduce the wire text exactly, trailing zeros included,
 * which is what a venue's checksum is computed over (it reads the book as {@link BookLevels}).
 *
 * <p>Not thread-safe. Values are validated by the caller: prices positive, sizes non-negative.
 */
public final class L2Book implements BookLevels {

    /** Initial room per side, in levels. */
    private static final int INITIAL_CAPACITY = 16;

    /** Levels from the top that a lookup scans before it binary-searches the rest. */
    private static final int SCAN = 8;

    /** Moving more than this many levels for one insert triggers a re-centering instead. */
    private static final int MAX_CHEAP_SHIFT = 32;

    private final Ladder bids = new Ladder(false);
    private final Ladder asks = new Ladder(true);
    private int priceScale;
    private int sizeScale;
    private int maxDepth;

    /** An empty book at scale 0, without a depth limit. */
    public L2Book() {}

    /** An empty book truncated to {@code maxDepth} levels per side (0 = unlimited). */
    public L2Book(int maxDepth) {
        setMaxDepth(maxDepth);
    }

    /** Levels kept per side after {@link #truncate()}; 0 means unlimited. */
    public int maxDepth() {
        return maxDepth;
    }

    public void setMaxDepth(int maxDepth) {
        if (maxDepth < 0) {
            throw new IllegalArgumentException("maxDepth must be >= 0, got " + maxDepth);
        }
        this.maxDepth = maxDepth;
    }

    public int priceScale() {
        return priceScale;
    }

    public int sizeScale() {
        return sizeScale;
    }

    /** Removes every level and sets both scales (a fresh snapshot starts here). */
    public void reset(int priceScale, int sizeScale) {
        checkScale(priceScale);
        checkScale(sizeScale);
        bids.clear();
        asks.clear();
        this.priceScale = priceScale;
        this.sizeScale = sizeScale;
    }

    /** Removes every level, keeping the scales. */
    public void clear() {
        bids.clear();
        asks.clear();
    }

    /**
     * Raises the book's scales to at least the given ones, multiplying every stored value by the
     * matching power of ten. Never lowers a scale. Throws {@link ArithmeticException}, leaving the
     * book unchanged, when a value would no longer fit in a {@code long}.
     */
    public void ensureScales(int minPriceScale, int minSizeScale) {
        checkScale(minPriceScale);
        checkScale(minSizeScale);
        long priceFactor =
                minPriceScale > priceScale ? Decimals.pow10(minPriceScale - priceScale) : 1;
        long sizeFactor = minSizeScale > sizeScale ? Decimals.pow10(minSizeScale - sizeScale) : 1;
        if (priceFactor == 1 && sizeFactor == 1) {
            return;
        }
        // Check the largest magnitudes first, so a failure changes nothing.
        bids.checkScalable(priceFactor, sizeFactor);
        asks.checkScalable(priceFactor, sizeFactor);
        bids.scale(priceFactor, sizeFactor);
        asks.scale(priceFactor, sizeFactor);
        priceScale = Math.max(priceScale, minPriceScale);
        sizeScale = Math.max(sizeScale, minSizeScale);
    }

    /**
     * Applies one level at the book's scales: size 0 removes the price, otherwise the level's size
     * becomes {@code size} (inserting the level when new).
     *
     * @param bid true for the bid side, false for the ask side
     */
    public void set(boolean bid, long price, long size) {
        Ladder side = bid ? bids : asks;
        long key = side.ask ? -price : price;
        int at = side.find(key);
        if (size == 0) {
            if (at >= 0) {
                side.removeAt(at);
            }
        } else if (at >= 0) {
            side.sizes[at] = size;
        } else {
            side.insertAt(-at - 1, key, size);
        }
    }

    /**
     * Applies one level given at its own scales, rescaling the book first when the value has more
     * fraction digits than the book (see {@link #ensureScales}). Throws {@link ArithmeticException}
     * when the value does not fit a {@code long} at the book's scales; the level is then not
     * applied (the book may have been rescaled, which changes no value).
     */
    public void set(boolean bid, long price, int priceScale, long size, int sizeScale) {
        if (priceScale == this.priceScale && sizeScale == this.sizeScale) {
            set(bid, price, size); // the common case: the wire's digits are the book's
            return;
        }
        ensureScales(priceScale, sizeScale);
        // Exact: a value that does not fit at the book's scale is rejected (ArithmeticException,
        // the book unchanged by it), never wrapped into a wrong price or size.
        set(
                bid,
                Math.multiplyExact(price, Decimals.pow10(this.priceScale - priceScale)),
                Math.multiplyExact(size, Decimals.pow10(this.sizeScale - sizeScale)));
    }

    /** Drops the worst levels of each side beyond {@link #maxDepth()} (no-op when unlimited). */
    public void truncate() {
        if (maxDepth > 0) {
            bids.truncate(maxDepth);
            asks.truncate(maxDepth);
        }
    }

    public int bidCount() {
        return bids.hi - bids.lo;
    }

    public int askCount() {
        return asks.hi - asks.lo;
    }

    /** Levels on one side. */
    public int count(boolean bid) {
        return bid ? bidCount() : askCount();
    }

    /** Unscaled price of the {@code i}-th best bid (0 = best). */
    public long bidPrice(int i) {
        return bids.keys[bids.hi - 1 - i];
    }

    public long bidSize(int i) {
        return bids.sizes[bids.hi - 1 - i];
    }

    /** Unscaled price of the {@code i}-th best ask (0 = best). */
    public long askPrice(int i) {
        return -asks.keys[asks.hi - 1 - i];
    }

    public long askSize(int i) {
        return asks.sizes[asks.hi - 1 - i];
    }

    /** Unscaled price of the {@code i}-th best level of a side. */
    public long price(boolean bid, int i) {
        return bid ? bidPrice(i) : askPrice(i);
    }

    public long size(boolean bid, int i) {
        return bid ? bidSize(i) : askSize(i);
    }

    /** Unscaled best bid; the book must have bids. */
    public long bestBid() {
        return bidPrice(0);
    }

    /** Unscaled best ask; the book must have asks. */
    public long bestAsk() {
        return askPrice(0);
    }

    /** Both sides have at least one level. */
    public boolean hasBothSides() {
        return bidCount() > 0 && askCount() > 0;
    }

    /** Best bid at or above best ask; false when a side is empty. */
    public boolean isCrossed() {
        return hasBothSides() && bestBid() >= bestAsk();
    }

    /** Total levels of both sides. */
    public int levelCount() {
        return bidCount() + askCount();
    }

    /**
     * The levels as an immutable-by-convention {@link OrderBookSnapshot} (best first on both
     * sides), for code that works on snapshots ({@code BookWalker}, the poll pipeline's tests).
     */
    public OrderBookSnapshot toSnapshot(
            String exchange, String market, long receivedAt, long exchangeTime, long sequence) {
        int nb = bidCount();
        int na = askCount();
        long[] bp = new long[nb];
        long[] bs = new long[nb];
        long[] ap = new long[na];
        long[] as = new long[na];
        for (int i = 0; i < nb; i++) {
            bp[i] = bidPrice(i);
            bs[i] = bidSize(i);
        }
        for (int i = 0; i < na; i++) {
            ap[i] = askPrice(i);
            as[i] = askSize(i);
        }
        return new OrderBookSnapshot(
                exchange,
                market,
                receivedAt,
                exchangeTime,
                sequence,
                priceScale,
                sizeScale,
                bp,
                bs,
                ap,
                as);
    }

    /**
     * Copies one side, best first, into the given arrays (which must hold {@link #count} values);
     * used by the state serializer.
     */
    public void copySide(boolean bid, long[] prices, long[] sizes) {
        int n = count(bid);
        for (int i = 0; i < n; i++) {
            prices[i] = price(bid, i);
            sizes[i] = size(bid, i);
        }
    }

    /**
     * Replaces the book with the given levels, best first on each side, at the given scales,
     * trusting that they are sorted, distinct and positive (they come from a serialized book).
     */
    public void load(
            int priceScale,
            int sizeScale,
            long[] bidPrices,
            long[] bidSizes,
            int bidCount,
            long[] askPrices,
            long[] askSizes,
            int askCount) {
        reset(priceScale, sizeScale);
        bids.loadBestFirst(bidPrices, bidSizes, bidCount);
        asks.loadBestFirst(askPrices, askSizes, askCount);
    }

    /** An independent copy (levels, scales, depth). */
    public L2Book copy() {
        L2Book c = new L2Book(maxDepth);
        c.priceScale = priceScale;
        c.sizeScale = sizeScale;
        c.bids.copyFrom(bids);
        c.asks.copyFrom(asks);
        return c;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof L2Book)) {
            return false;
        }
        L2Book that = (L2Book) o;
        return priceScale == that.priceScale
                && sizeScale == that.sizeScale
                && maxDepth == that.maxDepth
                && bids.sameLevels(that.bids)
                && asks.sameLevels(that.asks);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * bids.levelsHash() + asks.levelsHash()) + 31 * priceScale + sizeScale;
    }

    @Override
    public String toString() {
        StringBuilder s =
                new StringBuilder("L2Book{bids=")
                        .append(bidCount())
                        .append(" asks=")
                        .append(askCount());
        if (bidCount() > 0) {
            s.append(" bestBid=")
                    .append(Decimals.toBigDecimal(bestBid(), priceScale).toPlainString());
        }
        if (askCount() > 0) {
            s.append(" bestAsk=")
                    .append(Decimals.toBigDecimal(bestAsk(), priceScale).toPlainString());
        }
        return s.append(" scales=")
                .append(priceScale)
                .append('/')
                .append(sizeScale)
                .append('}')
                .toString();
    }

    private static void checkScale(int scale) {
        if (scale < 0 || scale > Decimals.MAX_SCALE) {
            throw new IllegalArgumentException(
                    "scale must be 0.." + Decimals.MAX_SCALE + ", got " + scale);
        }
    }

    /**
     * One side: keys ascending from worst to best in {@code keys[lo..hi)}, sizes alongside; free
     * room before {@code lo} and from {@code hi}.
     */
    static final class Ladder {
        final boolean ask;
        long[] keys = new long[INITIAL_CAPACITY];
        long[] sizes = new long[INITIAL_CAPACITY];
        int lo = INITIAL_CAPACITY / 2;
        int hi = INITIAL_CAPACITY / 2;

        Ladder(boolean ask) {
            this.ask = ask;
        }

        void clear() {
            lo = keys.length / 2;
            hi = lo;
        }

        /**
         * {@link Arrays#binarySearch} of {@code key} in the run, looking at the best levels first:
         * real feeds change mostly the first few levels, and the best level is the last of the run,
         * so the first {@value #SCAN} levels from the top are scanned in order (sequential,
         * predictable reads), and only a key beyond them is binary-searched in the rest.
         */
        int find(long key) {
            int stop = Math.max(lo, hi - SCAN);
            for (int i = hi - 1; i >= stop; i--) {
                long k = keys[i];
                if (k <= key) {
                    return k == key ? i : -(i + 1) - 1;
                }
            }
            return stop == lo ? -lo - 1 : Arrays.binarySearch(keys, lo, stop, key);
        }

        void truncate(int depth) {
            if (hi - lo > depth) {
                lo = hi - depth;
            }
        }

        /**
         * Inserts at absolute position {@code at} (the new level goes before the one now there),
         * moving the fewer neighbours. When one end is full and the other way would move many
         * levels, the run is re-centred first (growing the arrays when slack is short), which buys
         * room at both ends for many cheap inserts: amortized O(1) at either end.
         */
        void insertAt(int at, long key, long size) {
            int right = hi - at;
            int left = at - lo;
            boolean canRight = hi < keys.length;
            boolean canLeft = lo > 0;
            boolean goRight = canRight && (!canLeft || right <= left);
            boolean goLeft = !goRight && canLeft;
            boolean forcedDear =
                    goRight
                            ? !canLeft && right > MAX_CHEAP_SHIFT
                            : goLeft && !canRight && left > MAX_CHEAP_SHIFT;
            if ((!goRight && !goLeft) || forcedDear) {
                int offset = recenter();
                insertAt(at + offset, key, size);
            } else if (goRight) {
                System.arraycopy(keys, at, keys, at + 1, right);
                System.arraycopy(sizes, at, sizes, at + 1, right);
                keys[at] = key;
                sizes[at] = size;
                hi++;
            } else {
                System.arraycopy(keys, lo, keys, lo - 1, left);
                System.arraycopy(sizes, lo, sizes, lo - 1, left);
                keys[at - 1] = key;
                sizes[at - 1] = size;
                lo--;
            }
        }

        void removeAt(int at) {
            int left = at - lo;
            int right = hi - 1 - at;
            if (left < right) {
                System.arraycopy(keys, lo, keys, lo + 1, left);
                System.arraycopy(sizes, lo, sizes, lo + 1, left);
                lo++;
            } else {
                System.arraycopy(keys, at + 1, keys, at, right);
                System.arraycopy(sizes, at + 1, sizes, at, right);
                hi--;
            }
        }

        /**
         * Moves the run to the middle of its arrays, growing them first when less than half the
         * run's length would be free; returns how far the run moved.
         */
        private int recenter() {
            int n = hi - lo;
            int capacity = keys.length;
            if (capacity - n < Math.max(INITIAL_CAPACITY, n / 2)) {
                capacity = Math.max(INITIAL_CAPACITY, 2 * n + INITIAL_CAPACITY);
            }
            int newLo = (capacity - n) / 2;
            if (capacity != keys.length) {
                long[] k = new long[capacity];
                long[] s = new long[capacity];
                System.arraycopy(keys, lo, k, newLo, n);
                System.arraycopy(sizes, lo, s, newLo, n);
                keys = k;
                sizes = s;
            } else {
                System.arraycopy(keys, lo, keys, newLo, n);
                System.arraycopy(sizes, lo, sizes, newLo, n);
            }
            int offset = newLo - lo;
            lo = newLo;
            hi = newLo + n;
            return offset;
        }

        void checkScalable(long priceFactor, long sizeFactor) {
            if (hi == lo) {
                return;
            }
            // Keys are ascending: the largest magnitude is at one of the two ends.
            Math.multiplyExact(keys[lo], priceFactor);
            Math.multiplyExact(keys[hi - 1], priceFactor);
            long maxSize = 0;
            for (int i = lo; i < hi; i++) {
                maxSize = Math.max(maxSize, sizes[i]);
            }
            Math.multiplyExact(maxSize, sizeFactor);
        }

        void scale(long priceFactor, long sizeFactor) {
            for (int i = lo; i < hi; i++) {
                keys[i] *= priceFactor;
                sizes[i] *= sizeFactor;
            }
        }

        void loadBestFirst(long[] prices, long[] levelSizes, int n) {
            if (keys.length < n + INITIAL_CAPACITY) {
                keys = new long[2 * n + INITIAL_CAPACITY];
                sizes = new long[keys.length];
            }
            lo = (keys.length - n) / 2;
            hi = lo + n;
            for (int i = 0; i < n; i++) {
                keys[hi - 1 - i] = ask ? -prices[i] : prices[i];
                sizes[hi - 1 - i] = levelSizes[i];
            }
        }

        void copyFrom(Ladder other) {
            keys = other.keys.clone();
            sizes = other.sizes.clone();
            lo = other.lo;
            hi = other.hi;
        }

        boolean sameLevels(Ladder other) {
            return Arrays.equals(keys, lo, hi, other.keys, other.lo, other.hi)
                    && Arrays.equals(sizes, lo, hi, other.sizes, other.lo, other.hi);
        }

        int levelsHash() {
            int h = 1;
            for (int i = lo; i < hi; i++) {
                h = 31 * h + Long.hashCode(keys[i]);
                h = 31 * h + Long.hashCode(sizes[i]);
            }
            return h;
        }
    }
}
