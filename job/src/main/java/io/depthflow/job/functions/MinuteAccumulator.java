package io.depthflow.job.functions;

import io.depthflow.sources.model.OrderBookSnapshot;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * Keyed state of {@link MinuteBookAggregator} for one open window of one book: the exact sum of the
 * snapshots' mids, how many there were, and the latest book (by event time) in the window.
 *
 * <p>Flink POJO; class name, package and field types are part of the savepoint format: evolve by
 * adding or removing fields only.
 */
public class MinuteAccumulator {

    /** Sum of (best bid + best ask) / 2 over the window's snapshots, exact. */
    public BigDecimal midSum;

    public int samples;

    /** The window's latest book by event time; quotes and the close are computed on it. */
    public OrderBookSnapshot lastBook;

    public MinuteAccumulator() {}

    public MinuteAccumulator(BigDecimal midSum, int samples, OrderBookSnapshot lastBook) {
        this.midSum = midSum;
        this.samples = samples;
        this.lastBook = lastBook;
    }

    /**
     * Adds one snapshot; the latest by event time (first seen on ties) becomes the closing book.
     */
    public void add(OrderBookSnapshot book) {
        midSum = midSum == null ? book.mid() : midSum.add(book.mid());
        samples++;
        if (lastBook == null || book.receivedAt > lastBook.receivedAt) {
            lastBook = book;
        }
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof MinuteAccumulator)) {
            return false;
        }
        MinuteAccumulator that = (MinuteAccumulator) o;
        return samples == that.samples
                && Objects.equals(midSum, that.midSum)
                && Objects.equals(lastBook, that.lastBook);
    }

    @Override
    public int hashCode() {
        return Objects.hash(midSum, samples, lastBook);
    }

    @Override
    public String toString() {
        return "MinuteAccumulator{midSum="
                + midSum
                + ", samples="
                + samples
                + ", lastBook="
                + lastBook
                + '}';
    }
}
