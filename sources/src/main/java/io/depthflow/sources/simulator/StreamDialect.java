package io.depthflow.sources.simulator;

import org.apache.flink.annotation.PublicEvolving;

import java.util.SplittableRandom;

/**
 * One venue's WebSocket feed in the {@link StreamSimulator}, served on {@code ws://127.0.0.1:P} +
 * {@link #path()}. The simulator owns what all venues share: the server, one loop thread, the
 * venue's moving books ({@link MarketBook}, one per market, stepped around the market's reference
 * mid so venues never cross), fault queues, {@link StreamFault#DISCONNECT} (a TCP reset) and {@link
 * StreamFault#STALE} (the session is not called while silent, except {@link
 * FeedSession#onSilentStep}). The dialect's {@link FeedSession} speaks the protocol: subscription
 * answers, snapshots, updates, heartbeats, pongs, errors, and what {@link StreamFault#DROP_MESSAGE}
 * and {@link StreamFault#CORRUPT_CHECKSUM} mean on this venue.
 */
@PublicEvolving
public interface StreamDialect {

    /** The feed's path, starting with {@code /} ({@code /bitstamp}). */
    String path();

    /** A new connection's protocol state; called on the loop thread. */
    FeedSession open(FeedContext context);

    /**
     * The venue's deep book of {@code market}, as the venue's pair trades (price decimals, tick,
     * levels enough for its deepest subscription). Default: {@link MarketBook#standard}.
     */
    default MarketBook newBook(String market, SplittableRandom rnd) {
        return MarketBook.standard(market, rnd, 500);
    }

    /**
     * The venue's side of a {@link StreamScript} (a recorded session generated in memory), or null
     * when the venue has none. Default: none.
     */
    default ScriptedFeed script(ScriptSettings settings) {
        return null;
    }
}
