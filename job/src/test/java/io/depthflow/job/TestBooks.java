package io.depthflow.job;

import io.depthflow.sources.model.Decimals;
import io.depthflow.sources.model.OrderBookSnapshot;

/**
 * Small builder of exact books for tests: levels are given as decimal strings, best first.
 *
 * <pre>{@code
 * OrderBookSnapshot b = TestBooks.book("coinbase", "BTC/USD", 1_000L)
 *     .bid("100.0", "2").ask("101.5", "1.25").build();
 * }</pre>
 */
public final class TestBooks {

    private final String exchange;
    private final String market;
    private final long receivedAt;
    private final java.util.List<String[]> bids = new java.util.ArrayList<>();
    private final java.util.List<String[]> asks = new java.util.ArrayList<>();

    private TestBooks(String exchange, String market, long receivedAt) {
        this.exchange = exchange;
        this.market = market;
        this.receivedAt = receivedAt;
    }

    public static TestBooks book(String exchange, String market, long receivedAt) {
        return new TestBooks(exchange, market, receivedAt);
    }

    public TestBooks bid(String price, String size) {
        bids.add(new String[] {price, size});
        return this;
    }

    public TestBooks ask(String price, String size) {
        asks.add(new String[] {price, size});
        return this;
    }

    public OrderBookSnapshot build() {
        int ps = 0;
        int ss = 0;
        for (java.util.List<String[]> side : java.util.List.of(bids, asks)) {
            for (String[] l : side) {
                ps = Math.max(ps, Decimals.scaleOf(l[0]));
                ss = Math.max(ss, Decimals.scaleOf(l[1]));
            }
        }
        return new OrderBookSnapshot(
                exchange,
                market,
                receivedAt,
                0,
                0,
                ps,
                ss,
                col(bids, 0, ps),
                col(bids, 1, ss),
                col(asks, 0, ps),
                col(asks, 1, ss));
    }

    private static long[] col(java.util.List<String[]> levels, int i, int scale) {
        long[] out = new long[levels.size()];
        for (int k = 0; k < out.length; k++) {
            out[k] = Decimals.parseScaled(levels.get(k)[i], scale);
        }
        return out;
    }
}
