package io.depthflow.job.quote;

/** The side of a market order: a buy walks the asks upward, a sell walks the bids downward. */
public enum Side {
    BUY("buy"),
    SELL("sell");

    private final String wire;

    Side(String wire) {
        this.wire = wire;
    }

    /** The name stored in ClickHouse and printed by the CLI: {@code buy} or {@code sell}. */
    public String wireName() {
        return wire;
    }
}
