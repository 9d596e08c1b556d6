package io.depthflow.job.functions;

import org.apache.flink.api.java.functions.KeySelector;

import io.depthflow.sources.model.OrderBookSnapshot;

/**
 * Keys books by {@code exchange|market}. A String key, because keys cannot evolve in savepoints.
 */
public final class BookKey implements KeySelector<OrderBookSnapshot, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String getKey(OrderBookSnapshot book) {
        return of(book.exchange, book.market);
    }

    public static String of(String exchange, String market) {
        return exchange + '|' + market;
    }
}
