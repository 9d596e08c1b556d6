package io.depthflow.sources.venue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.NavigableMap;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A small deterministic deep book for dialect tests: size changes, removals and inserts near the
 * top, never crossed, the touched levels recorded as {@link SimBook} asks.
 */
public final class RandomSimBook implements SimBook {

    private final TreeMap<Long, Long> bids = new TreeMap<>(Collections.reverseOrder());
    private final TreeMap<Long, Long> asks = new TreeMap<>();
    private final int priceScale;
    private final int sizeScale;
    private final SplittableRandom rnd;
    private final List<Object[]> changes = new ArrayList<>();

    public RandomSimBook(long mid, int levels, int priceScale, int sizeScale, long seed) {
        this.priceScale = priceScale;
        this.sizeScale = sizeScale;
        this.rnd = new SplittableRandom(seed);
        for (int i = 0; i < levels; i++) {
            bids.put(mid - 1 - 2L * i, size());
            asks.put(mid + 1 + 2L * i, size());
        }
    }

    private long size() {
        // Sizes with varying trailing zeros, some tiny (e-notation on Bitfinex's wire).
        long s = 1 + rnd.nextLong(500_000_000L);
        switch (rnd.nextInt(4)) {
            case 0:
                return s / 1_000_000 * 1_000_000 + 1_000_000;
            case 1:
                return 1 + rnd.nextInt(60);
            default:
                return s;
        }
    }

    /** {@code n} random changes. */
    public void step(int n) {
        changes.clear();
        for (int c = 0; c < n; c++) {
            boolean bid = rnd.nextBoolean();
            TreeMap<Long, Long> side = bid ? bids : asks;
            List<Long> top = new ArrayList<>(side.keySet()).subList(0, Math.min(30, side.size()));
            long price = top.get(rnd.nextInt(top.size()));
            double r = rnd.nextDouble();
            if (r < 0.5) {
                side.put(price, size());
            } else if (r < 0.75 && side.size() > 5) {
                side.remove(price);
            } else {
                long best = side.firstKey();
                long candidate = bid ? best + 1 : best - 1;
                boolean inside = bid ? candidate < asks.firstKey() : candidate > bids.firstKey();
                price = inside && rnd.nextBoolean() ? candidate : price + (bid ? -1 : 1);
                if (bid ? price >= asks.firstKey() : price <= bids.firstKey()) {
                    continue;
                }
                side.put(price, size());
            }
            changes.add(new Object[] {bid, price});
        }
    }

    @Override
    public NavigableMap<Long, Long> bids() {
        return bids;
    }

    @Override
    public NavigableMap<Long, Long> asks() {
        return asks;
    }

    @Override
    public int priceScale() {
        return priceScale;
    }

    @Override
    public int sizeScale() {
        return sizeScale;
    }

    @Override
    public int changeCount() {
        return changes.size();
    }

    @Override
    public boolean changedBid(int i) {
        return (Boolean) changes.get(i)[0];
    }

    @Override
    public long changedPrice(int i) {
        return (Long) changes.get(i)[1];
    }
}
