package io.depthflow.sources.simulator;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.model.RawMessage;

import java.util.List;

/**
 * One venue's side of a {@link StreamScript}: its WebSocket session as a client would record it,
 * generated in memory, in the venue's exact wire format. Made by the venue's {@link
 * StreamDialect#script}; the script calls {@link #open} once, then {@link #round} per update round
 * and {@link #heartbeat} once per second of script time, and names no venue.
 */
@PublicEvolving
public interface ScriptedFeed {

    /**
     * The connection opens at {@code t}: its {@code connected} event, acks and one snapshot per
     * market. The books are created here, from {@link ScriptSettings#random()}.
     */
    void open(long t, List<RawMessage> out);

    /**
     * One round at {@code t}: every market's book takes one step and the venue sends what changed.
     * {@code fault} (null for none) applies to the round's first update, followed by the recovery a
     * correct client performs: {@link StreamFault#CORRUPT_CHECKSUM} a wrong checksum and a
     * resubscription, {@link StreamFault#DROP_MESSAGE} a lost message and a reconnection; a fault
     * the venue cannot show on its wire is ignored.
     */
    void round(long t, StreamFault fault, List<RawMessage> out);

    /** The venue's heartbeat at {@code t}, if it sends one. */
    void heartbeat(long t, List<RawMessage> out);
}
