package io.depthflow.sources.venue.bitfinex;

import org.apache.flink.annotation.Internal;

/**
 * A read-only view of a book's levels, best first on each side, as unscaled longs at one price
 * scale and one size scale (sizes positive). What {@link BitfinexChecksum} needs of a book; any
 * book type that offers these methods can be passed with a method reference adapter.
 */
@Internal
public interface BookLevels {

    int bidCount();

    int askCount();

    long bidPrice(int i);

    long bidSize(int i);

    long askPrice(int i);

    long askSize(int i);

    int priceScale();

    int sizeScale();
}
