package io.depthflow.sources.ws;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.source.SourceSplit;

import java.util.Objects;

/**
 * One exchange's WebSocket feed: one connection carrying all its markets (Coinbase's {@code
 * sequence_num} counts per connection, so a connection's messages must stay together and in order),
 * with the clock time from which the feed stops ({@link Long#MAX_VALUE} when unbounded).
 *
 * <p>Immutable, and also the reader's split state: a live feed has no position to checkpoint (a
 * WebSocket cannot be rewound), so after a restore the reader simply connects and subscribes again
 * and every book is rebuilt from fresh snapshots.
 */
@PublicEvolving
public final class WsBookSplit implements SourceSplit {

    private final FeedSettings settings;
    private final long stopAt;

    public WsBookSplit(FeedSettings settings, long stopAt) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.stopAt = stopAt;
    }

    /** The exchange name. */
    @Override
    public String splitId() {
        return settings.exchange();
    }

    public FeedSettings settings() {
        return settings;
    }

    public long stopAt() {
        return stopAt;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WsBookSplit
                && stopAt == ((WsBookSplit) o).stopAt
                && settings.equals(((WsBookSplit) o).settings);
    }

    @Override
    public int hashCode() {
        return Objects.hash(settings, stopAt);
    }

    @Override
    public String toString() {
        return "WsBookSplit{"
                + settings.exchange()
                + ' '
                + settings.url()
                + ' '
                + settings.markets()
                + (stopAt == Long.MAX_VALUE ? "" : " stopAt=" + stopAt)
                + '}';
    }
}
