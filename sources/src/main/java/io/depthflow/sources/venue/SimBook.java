package io.depthflow.sources.venue;

import org.apache.flink.annotation.Internal;

import java.util.NavigableMap;

/**
 * What a venue's simulator dialect needs of a simulated market's true book: both sides as maps of
 * unscaled price to unscaled size, best first (bids descending, asks ascending), at fixed scales,
 * and the levels the last step touched. The simulator owns the book and its evolution; the dialect
 * only writes it in the venue's wire format.
 */
@Internal
public interface SimBook {

    /** Bids, best (highest) first: unscaled price → unscaled size. */
    NavigableMap<Long, Long> bids();

    /** Asks, best (lowest) first. */
    NavigableMap<Long, Long> asks();

    int priceScale();

    int sizeScale();

    /** Levels touched by the last step (0 when none). */
    int changeCount();

    boolean changedBid(int i);

    long changedPrice(int i);
}
