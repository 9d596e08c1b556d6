package io.depthflow.sources.simulator;

import org.apache.flink.annotation.PublicEvolving;

/**
 * What the {@link StreamSimulator} offers one connection's {@link FeedSession} (loop thread only).
 */
@PublicEvolving
public interface FeedContext {

    /** The connection's id (as listed by {@code GET /_sim/connections}). */
    long id();

    /** Sends a text frame now (dropped when the socket has closed). */
    void send(String text);

    /** The venue's live book of {@code market}, created (and moving from then on) on first use. */
    MarketBook book(String market);

    /** Whether {@code market} is a canonical market the simulator serves. */
    boolean serves(String market);

    /**
     * A simulator option for dialects ({@code StreamSimulator.Builder#option}), null when not set;
     * keys are prefixed with the venue's name ({@code kraken.numbers-as-strings}).
     */
    default String option(String key) {
        return null;
    }
}
