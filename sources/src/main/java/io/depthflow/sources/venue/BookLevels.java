package io.depthflow.sources.venue;

import org.apache.flink.annotation.PublicEvolving;

/**
 * A read-only view of a book's levels as exact scaled longs, best first: what a venue's {@link
 * BookChecksum} needs. The job's {@code L2Book} offers it. Prices are unscaled at {@link
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
}
