package io.depthflow.sources.simulator;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.markets.Markets;

import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * The "true" deep book of one market on one simulated exchange, evolving one step at a time the way
 * real L2 feeds do: most changes are size changes at and near the top, levels appear in gaps and
 * vanish, the best level is sometimes consumed and the spread refilled, so the mid wanders. The
 * book never crosses, and each side stays near its target number of levels. Prices are unscaled at
 * {@link #priceScale} on a grid of {@link #tick}; sizes unscaled at {@link #sizeScale}.
 * Deterministic given the random source. Not thread-safe.
 *
 * <p>Anchored to a {@link ReferenceMid} ({@link #step(SplittableRandom, int, ReferenceMid)}), the
 * book also keeps its best bid below the reference and its best ask above it, each within the
 * reference's {@link ReferenceMid#maxHalfSpread}: levels the reference moves past are taken (as
 * trades would), and a side whose best level drifted too far is refilled next to the reference. So
 * its spread stays within a band for hours, and books of the same market on different venues never
 * cross each other.
 *
 * <p>{@link #step} records which levels it touched ({@link #changeCount}, {@link #changedBid},
 * {@link #changedPrice}), so a feed can send exactly the changes (Coinbase) or diff a subscriber's
 * view (Kraken).
 */
@PublicEvolving
public final class MarketBook {

    public final int priceScale;
    public final int sizeScale;
    public final long tick;
    public final int targetLevels;

    /** Bids, best (highest) first. */
    public final TreeMap<Long, Long> bids = new TreeMap<>((a, b) -> Long.compare(b, a));

    /** Asks, best (lowest) first. */
    public final TreeMap<Long, Long> asks = new TreeMap<>();

    private final long meanSize;

    public int changeCount;
    public boolean[] changedBid = new boolean[16];
    public long[] changedPrice = new long[16];

    /**
     * @param mid starting mid, unscaled at {@code priceScale}
     * @param meanSize typical level size, unscaled at {@code sizeScale}
     */
    /**
     * A book of {@code market} with a 0.01 tick and 8 size decimals: BTC/USD around 90,000, ETH/USD
     * around 3,000, any other market around 100 ({@code levels} per side).
     */
    public static MarketBook standard(String market, SplittableRandom rnd, int levels) {
        if (Markets.BTC_USD.equals(market)) {
            return new MarketBook(2, 8, 1, 9_000_000, 30_000_000, levels, rnd);
        }
        if (Markets.ETH_USD.equals(market)) {
            return new MarketBook(2, 8, 1, 300_000, 1_000_000_000, levels, rnd);
        }
        return new MarketBook(2, 8, 1, 10_000, 20_000_000_000L, levels, rnd);
    }

    public MarketBook(
            int priceScale,
            int sizeScale,
            long tick,
            long mid,
            long meanSize,
            int targetLevels,
            SplittableRandom rnd) {
        this.priceScale = priceScale;
        this.sizeScale = sizeScale;
        this.tick = tick;
        this.meanSize = meanSize;
        this.targetLevels = targetLevels;
        long bid = mid / tick * tick;
        long ask = bid + tick;
        for (int i = 0; i < targetLevels; i++) {
            bids.put(bid, size(rnd, i));
            asks.put(ask, size(rnd, i));
            bid -= tick * gap(rnd);
            ask += tick * gap(rnd);
        }
    }

    /**
     * Applies {@code changes} random changes, then holds the book around {@code reference} (see the
     * class comment); returns the number of levels touched.
     */
    int step(SplittableRandom rnd, int changes, ReferenceMid reference) {
        step(rnd, changes);
        long unit = pow10(ReferenceMid.SCALE - priceScale);
        // The reference is never a multiple of 10 at its scale, so never a price here.
        long highestBid = Math.floorDiv(Math.floorDiv(reference.value(), unit), tick) * tick;
        long lowestAsk = highestBid + tick;
        long half = Math.max(tick, reference.maxHalfSpread(tick * unit) / unit);
        while (!bids.isEmpty() && bids.firstKey() > highestBid) {
            remove(true, bids.firstKey());
        }
        while (!asks.isEmpty() && asks.firstKey() < lowestAsk) {
            remove(false, asks.firstKey());
        }
        if (bids.isEmpty() || highestBid - bids.firstKey() > half) {
            put(true, highestBid - tick * rnd.nextInt(2), size(rnd, 0));
        }
        if (asks.isEmpty() || asks.firstKey() - lowestAsk > half) {
            put(false, lowestAsk + tick * rnd.nextInt(2), size(rnd, 0));
        }
        keepSize(true, rnd);
        keepSize(false, rnd);
        return changeCount;
    }

    private static long pow10(int n) {
        long v = 1;
        for (int i = 0; i < n; i++) {
            v *= 10;
        }
        return v;
    }

    /** Applies {@code changes} random changes; returns the number of levels touched. */
    public int step(SplittableRandom rnd, int changes) {
        changeCount = 0;
        for (int c = 0; c < changes; c++) {
            boolean bid = rnd.nextBoolean();
            NavigableMap<Long, Long> side = bid ? bids : asks;
            int d = distance(rnd, side.size());
            double r = rnd.nextDouble();
            if (r < 0.55) {
                long price = nth(side, d);
                put(bid, price, size(rnd, d));
            } else if (r < 0.72) {
                if (side.size() > targetLevels / 2) {
                    remove(bid, nth(side, d));
                }
            } else if (r < 0.94) {
                insertNear(bid, d, rnd);
            } else if (side.size() > targetLevels / 2) {
                // The best level is consumed; the spread may be refilled by the next steps.
                remove(bid, side.firstKey());
            }
            keepSize(bid, rnd);
        }
        return changeCount;
    }

    public long bestBid() {
        return bids.firstKey();
    }

    public long bestAsk() {
        return asks.firstKey();
    }

    /** Current size of a level, 0 when absent. */
    public long sizeAt(boolean bid, long price) {
        Long s = (bid ? bids : asks).get(price);
        return s == null ? 0 : s;
    }

    private void insertNear(boolean bid, int d, SplittableRandom rnd) {
        NavigableMap<Long, Long> side = bid ? bids : asks;
        long step = bid ? -tick : tick;
        if (d == 0) {
            // Improve the best price when the spread leaves room.
            long candidate = side.firstKey() - step;
            boolean inside = bid ? candidate < bestAsk() : candidate > bestBid();
            if (inside) {
                put(bid, candidate, size(rnd, 0));
                return;
            }
        }
        long at = nth(side, d);
        Long next = side.higherKey(at);
        if (next != null && Math.abs(next - at) > tick) {
            put(bid, at + step, size(rnd, d));
        } else {
            put(bid, at, size(rnd, d));
        }
    }

    private void keepSize(boolean bid, SplittableRandom rnd) {
        TreeMap<Long, Long> side = bid ? bids : asks;
        while (side.size() < targetLevels - 20) {
            long worst = side.lastKey();
            put(
                    bid,
                    bid ? worst - tick * gap(rnd) : worst + tick * gap(rnd),
                    size(rnd, side.size()));
        }
        while (side.size() > targetLevels + 20) {
            remove(bid, side.lastKey());
        }
    }

    private void put(boolean bid, long price, long size) {
        (bid ? bids : asks).put(price, size);
        record(bid, price);
    }

    private void remove(boolean bid, long price) {
        (bid ? bids : asks).remove(price);
        record(bid, price);
    }

    private void record(boolean bid, long price) {
        if (changeCount == changedBid.length) {
            changedBid = java.util.Arrays.copyOf(changedBid, changeCount * 2);
            changedPrice = java.util.Arrays.copyOf(changedPrice, changeCount * 2);
        }
        changedBid[changeCount] = bid;
        changedPrice[changeCount] = price;
        changeCount++;
    }

    /** A level index from the top, mostly 0..5. */
    private static int distance(SplittableRandom rnd, int size) {
        int d = 0;
        while (d < size - 1 && rnd.nextDouble() < 0.7) {
            d++;
            if (d > 3 && rnd.nextDouble() < 0.5) {
                break;
            }
        }
        return rnd.nextDouble() < 0.05 ? rnd.nextInt(size) : d;
    }

    private static long nth(NavigableMap<Long, Long> side, int n) {
        Iterator<Map.Entry<Long, Long>> it = side.entrySet().iterator();
        Map.Entry<Long, Long> e = it.next();
        for (int i = 0; i < n && it.hasNext(); i++) {
            e = it.next();
        }
        return e.getKey();
    }

    /** Ticks between adjacent levels: mostly 1, sometimes a few. */
    private static int gap(SplittableRandom rnd) {
        return rnd.nextDouble() < 0.6 ? 1 : 2 + rnd.nextInt(3);
    }

    /** Random sizes with random low digits (so trailing zeros vary), growing with depth. */
    private long size(SplittableRandom rnd, int level) {
        double factor = Math.exp(0.9 * rnd.nextGaussian() - 0.4) * (1 + level / 50.0);
        long s = Math.max(1, Math.round(meanSize * factor));
        // Round some sizes to whole lots so that trailing zeros appear on the wire.
        int roundTo = rnd.nextInt(4);
        long unit = roundTo == 0 ? 1 : roundTo == 1 ? 1_000 : roundTo == 2 ? 100_000 : 10_000_000;
        return Math.max(unit, s / unit * unit);
    }
}
