package io.depthflow.sources.ws;

import org.apache.flink.annotation.PublicEvolving;

import java.math.BigDecimal;
import java.util.Arrays;

/**
 * Level changes held as parallel arrays of exact decimals (unscaled {@code long} plus that value's
 * own scale): the storage shared by a venue decoder's reusable message ({@link StreamMessage}) and
 * the venue-free event shuffled to the book builder ({@link BookEvent}). The arrays grow as levels
 * are added and are kept between uses, so the hot path does not allocate per level. Not
 * thread-safe.
 */
@PublicEvolving
public abstract class ScaledLevels implements BookLevelChanges {

    /** Number of level changes held. */
    public int levelCount;

    private boolean[] bid;
    private long[] price;
    private byte[] priceScale;
    private long[] size;
    private byte[] sizeScale;

    protected ScaledLevels(int capacity) {
        int n = Math.max(capacity, 1);
        bid = new boolean[n];
        price = new long[n];
        priceScale = new byte[n];
        size = new long[n];
        sizeScale = new byte[n];
    }

    /** Appends one level change (size 0 removes the level). */
    public final void addLevel(
            boolean isBid, long unscaledPrice, int pScale, long unscaledSize, int sScale) {
        ensureCapacity(levelCount + 1);
        bid[levelCount] = isBid;
        price[levelCount] = unscaledPrice;
        priceScale[levelCount] = (byte) pScale;
        size[levelCount] = unscaledSize;
        sizeScale[levelCount] = (byte) sScale;
        levelCount++;
    }

    /** Replaces the levels held with those of {@code from}. */
    protected final void copyLevels(BookLevelChanges from) {
        int n = from.levelCount();
        ensureCapacity(n);
        for (int i = 0; i < n; i++) {
            bid[i] = from.isBid(i);
            price[i] = from.price(i);
            priceScale[i] = (byte) from.priceScale(i);
            size[i] = from.size(i);
            sizeScale[i] = (byte) from.sizeScale(i);
        }
        levelCount = n;
    }

    /** Keeps only the first {@code count} levels (drops an event that turned out not to apply). */
    public final void truncateLevels(int count) {
        levelCount = Math.min(levelCount, count);
    }

    /**
     * Drops the levels before index {@code start}, moving the rest to the front (a snapshot event
     * supersedes the events before it).
     */
    public final void keepLevelsFrom(int start) {
        int n = levelCount - start;
        System.arraycopy(bid, start, bid, 0, n);
        System.arraycopy(price, start, price, 0, n);
        System.arraycopy(priceScale, start, priceScale, 0, n);
        System.arraycopy(size, start, size, 0, n);
        System.arraycopy(sizeScale, start, sizeScale, 0, n);
        levelCount = n;
    }

    private void ensureCapacity(int n) {
        if (n > bid.length) {
            int c = Math.max(n, bid.length * 2);
            bid = Arrays.copyOf(bid, c);
            price = Arrays.copyOf(price, c);
            priceScale = Arrays.copyOf(priceScale, c);
            size = Arrays.copyOf(size, c);
            sizeScale = Arrays.copyOf(sizeScale, c);
        }
    }

    @Override
    public final int levelCount() {
        return levelCount;
    }

    @Override
    public final boolean isBid(int i) {
        return bid[i];
    }

    @Override
    public final long price(int i) {
        return price[i];
    }

    @Override
    public final int priceScale(int i) {
        return priceScale[i];
    }

    @Override
    public final long size(int i) {
        return size[i];
    }

    @Override
    public final int sizeScale(int i) {
        return sizeScale[i];
    }

    /** Whether {@code o} holds the same level changes, value and scale, in the same order. */
    protected final boolean sameLevels(ScaledLevels o) {
        if (levelCount != o.levelCount) {
            return false;
        }
        for (int i = 0; i < levelCount; i++) {
            if (bid[i] != o.bid[i]
                    || price[i] != o.price[i]
                    || priceScale[i] != o.priceScale[i]
                    || size[i] != o.size[i]
                    || sizeScale[i] != o.sizeScale[i]) {
                return false;
            }
        }
        return true;
    }

    /** {@code h} combined with the levels' prices and sizes. */
    protected final int levelsHash(int h) {
        for (int i = 0; i < levelCount; i++) {
            h = 31 * h + Long.hashCode(price[i]) + 7 * Long.hashCode(size[i]);
        }
        return h;
    }

    /** Appends the first four levels ({@code levels=b100.5x2,a101x0,...}) to {@code s}. */
    protected final void appendLevels(StringBuilder s) {
        for (int i = 0; i < Math.min(levelCount, 4); i++) {
            s.append(i == 0 ? " levels=" : ",")
                    .append(bid[i] ? 'b' : 'a')
                    .append(BigDecimal.valueOf(price[i], priceScale[i]).toPlainString())
                    .append('x')
                    .append(BigDecimal.valueOf(size[i], sizeScale[i]).toPlainString());
        }
        if (levelCount > 4) {
            s.append(",... (").append(levelCount).append(')');
        }
    }
}
