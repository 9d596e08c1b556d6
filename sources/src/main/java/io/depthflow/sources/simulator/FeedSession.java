package io.depthflow.sources.simulator;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Deque;
import java.util.List;

/**
 * One simulated WebSocket connection of a venue ({@link StreamDialect#open}). All calls come from
 * the simulator's loop thread, in order.
 */
@PublicEvolving
public interface FeedSession {

    /** Called once the connection is open (a venue's greeting, e.g. Kraken's {@code status}). */
    default void onOpen(long nowMillis) {}

    /** A text message from the client (subscribe, unsubscribe, ping, anything malformed). */
    void onText(String text, long nowMillis);

    /**
     * {@code market}'s book took a step; send what a subscriber of it gets. {@code faults} is this
     * connection's own queue when it has one, else the venue's: take ({@code poll}) a fault only
     * when it applies to this message ({@link StreamFault#DROP_MESSAGE}: do not send it; {@link
     * StreamFault#CORRUPT_CHECKSUM}: a wrong checksum, or ignored and taken on a venue without
     * checksums).
     */
    void onStep(String market, MarketBook book, long nowMillis, Deque<StreamFault> faults);

    /**
     * A step while the connection is silent ({@link StreamFault#STALE}): e.g. spend a sequence
     * number.
     */
    default void onSilentStep(String market, MarketBook book) {}

    /** Once a second while not silent: heartbeats. */
    default void onSecond(long nowMillis) {}

    /** The markets this connection is subscribed to, in order. */
    List<String> markets();
}
