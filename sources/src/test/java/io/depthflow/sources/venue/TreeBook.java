package io.depthflow.sources.venue;

import io.depthflow.sources.ws.StreamMessage;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A test oracle book: two {@link TreeMap}s of exact {@link BigDecimal}s, fed with parsed {@link
 * StreamMessage}s (a snapshot replaces the book, size 0 removes a level), truncated to a depth, and
 * viewable as {@link BookLevels} at the largest scales it holds.
 */
public final class TreeBook implements BookLevels {

    public final TreeMap<BigDecimal, BigDecimal> bids = new TreeMap<>(Collections.reverseOrder());
    public final TreeMap<BigDecimal, BigDecimal> asks = new TreeMap<>();
    private final int depth;
    private List<BigDecimal[]> bidView;
    private List<BigDecimal[]> askView;
    private int priceScale;
    private int sizeScale;

    /**
     * @param depth levels kept per side; 0 for unbounded
     */
    public TreeBook(int depth) {
        this.depth = depth;
    }

    public void apply(StreamMessage m) {
        if (m.type == StreamMessage.Type.BOOK_SNAPSHOT) {
            bids.clear();
            asks.clear();
        }
        for (int i = 0; i < m.levelCount; i++) {
            TreeMap<BigDecimal, BigDecimal> side = m.isBid(i) ? bids : asks;
            BigDecimal price = BigDecimal.valueOf(m.price(i), m.priceScale(i));
            if (m.size(i) == 0) {
                side.remove(price);
            } else {
                side.put(price, BigDecimal.valueOf(m.size(i), m.sizeScale(i)));
            }
        }
        if (depth > 0) {
            while (bids.size() > depth) {
                bids.pollLastEntry();
            }
            while (asks.size() > depth) {
                asks.pollLastEntry();
            }
        }
        bidView = null;
    }

    public boolean isCrossed() {
        return !bids.isEmpty()
                && !asks.isEmpty()
                && bids.firstKey().compareTo(asks.firstKey()) >= 0;
    }

    private void view() {
        if (bidView != null) {
            return;
        }
        bidView = new ArrayList<>();
        askView = new ArrayList<>();
        priceScale = 0;
        sizeScale = 0;
        for (Map.Entry<BigDecimal, BigDecimal> e : bids.entrySet()) {
            bidView.add(new BigDecimal[] {e.getKey(), e.getValue()});
        }
        for (Map.Entry<BigDecimal, BigDecimal> e : asks.entrySet()) {
            askView.add(new BigDecimal[] {e.getKey(), e.getValue()});
        }
        for (List<BigDecimal[]> side : List.of(bidView, askView)) {
            for (BigDecimal[] l : side) {
                priceScale = Math.max(priceScale, l[0].scale());
                sizeScale = Math.max(sizeScale, l[1].scale());
            }
        }
    }

    @Override
    public int bidCount() {
        view();
        return bidView.size();
    }

    @Override
    public int askCount() {
        view();
        return askView.size();
    }

    @Override
    public long bidPrice(int i) {
        view();
        return bidView.get(i)[0].setScale(priceScale).unscaledValue().longValueExact();
    }

    @Override
    public long bidSize(int i) {
        view();
        return bidView.get(i)[1].setScale(sizeScale).unscaledValue().longValueExact();
    }

    @Override
    public long askPrice(int i) {
        view();
        return askView.get(i)[0].setScale(priceScale).unscaledValue().longValueExact();
    }

    @Override
    public long askSize(int i) {
        view();
        return askView.get(i)[1].setScale(sizeScale).unscaledValue().longValueExact();
    }

    @Override
    public int priceScale() {
        view();
        return priceScale;
    }

    @Override
    public int sizeScale() {
        view();
        return sizeScale;
    }
}
