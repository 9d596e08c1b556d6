package io.depthflow.sources.venue;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A read-only view of a book's levels as exact scaled longs, best first: what a venue's {@link
 * BookChecksum} and the job's walk need. Both book types offer it: the job's live {@code L2Book}
 * (stream mode) and a parsed {@link io.depthflow.sources.model.OrderBookSnapshot} through {@link
 * io.depthflow.sources.model.OrderBookSnapshot#levels()} (poll mode). Prices are unscaled at {@link
 * #priceScale()}, sizes at {@link #sizeScale()}; these are at least the fraction digits the wire
 * used (a book's scales only grow).
 */
@PublicEvolving
public interface BookLevels {

    int priceScale();

    int sizeScale();

    int bidCount();

    int askCount();

    /** The {@code i}-th best bid price (0 = highest). */
    long bidPrice(int i);

    long bidSize(int i);

    /** The {@code i}-th best ask price (0 = lowest). */
    long askPrice(int i);

    long askSize(int i);

    /** Levels on one side: {@link #bidCount()} when {@code bid}, else {@link #askCount()}. */
    default int count(boolean bid) {
        return bid ? bidCount() : askCount();
    }

    /** The {@code i}-th best price of one side (0 = best). */
    default long price(boolean bid, int i) {
        return bid ? bidPrice(i) : askPrice(i);
    }

    /** The {@code i}-th best size of one side (0 = best). */
    default long size(boolean bid, int i) {
        return bid ? bidSize(i) : askSize(i);
    }
}
