package io.depthflow.sources.rest;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.connector.source.SourceSplit;

import java.util.Objects;

/**
 * One exchange and market to poll, with its position in the poll schedule: the next scheduled poll
 * time (clock ms, on the interval grid), the number of scheduled polls done (for {@code maxPolls}),
 * and the clock time from which nothing more is polled ({@link Long#MAX_VALUE} when unbounded).
 * Immutable; the reader's mutable copy is {@link RestBookSplitState}.
 */
@PublicEvolving
public final class RestBookSplit implements SourceSplit {

    private final String exchange;
    private final String market;
    private final long nextPollAt;
    private final int pollsDone;
    private final long stopAt;

    public RestBookSplit(
            String exchange, String market, long nextPollAt, int pollsDone, long stopAt) {
        this.exchange = Objects.requireNonNull(exchange, "exchange");
        this.market = Objects.requireNonNull(market, "market");
        this.nextPollAt = nextPollAt;
        this.pollsDone = pollsDone;
        this.stopAt = stopAt;
    }

    /** {@code exchange:market}, e.g. {@code kraken:BTC/USD}. */
    public static String splitId(String exchange, String market) {
        return exchange + ":" + market;
    }

    @Override
    public String splitId() {
        return splitId(exchange, market);
    }

    public String exchange() {
        return exchange;
    }

    public String market() {
        return market;
    }

    public long nextPollAt() {
        return nextPollAt;
    }

    public int pollsDone() {
        return pollsDone;
    }

    public long stopAt() {
        return stopAt;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RestBookSplit)) {
            return false;
        }
        RestBookSplit that = (RestBookSplit) o;
        return nextPollAt == that.nextPollAt
                && pollsDone == that.pollsDone
                && stopAt == that.stopAt
                && exchange.equals(that.exchange)
                && market.equals(that.market);
    }

    @Override
    public int hashCode() {
        return Objects.hash(exchange, market, nextPollAt, pollsDone, stopAt);
    }

    @Override
    public String toString() {
        return "RestBookSplit{"
                + splitId()
                + " nextPollAt="
                + nextPollAt
                + " pollsDone="
                + pollsDone
                + (stopAt == Long.MAX_VALUE ? "" : " stopAt=" + stopAt)
                + '}';
    }
}
