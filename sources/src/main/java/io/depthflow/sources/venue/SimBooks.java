package io.depthflow.sources.venue;

import org.apache.flink.annotation.Internal;

import io.depthflow.sources.simulator.MarketBook;

import java.util.NavigableMap;

/** {@link SimBook} views of the simulator's books. */
@Internal
public final class SimBooks {

    private SimBooks() {}

    /** A live view of {@code book} (no copy). */
    public static SimBook of(MarketBook book) {
        return new SimBook() {
            @Override
            public NavigableMap<Long, Long> bids() {
                return book.bids;
            }

            @Override
            public NavigableMap<Long, Long> asks() {
                return book.asks;
            }

            @Override
            public int priceScale() {
                return book.priceScale;
            }

            @Override
            public int sizeScale() {
                return book.sizeScale;
            }

            @Override
            public int changeCount() {
                return book.changeCount;
            }

            @Override
            public boolean changedBid(int i) {
                return book.changedBid[i];
            }

            @Override
            public long changedPrice(int i) {
                return book.changedPrice[i];
            }
        };
    }
}
