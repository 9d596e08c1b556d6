package io.depthflow.sources.simulator;

import org.apache.flink.annotation.PublicEvolving;

import java.util.Arrays;
import java.util.Locale;

/**
 * Failures the {@link StreamSimulator}'s WebSocket feeds can inject, per exchange, and what a
 * correct client sees.
 *
 * <table>
 *   <caption>Stream faults</caption>
 *   <tr><th>Fault</th><th>Coinbase</th><th>Kraken</th></tr>
 *   <tr><td>{@link #DROP_MESSAGE}</td><td>the next book update is not sent but its {@code
 *       sequence_num} is used: the next message shows a gap</td><td>the next book update is not
 *       sent: the subscriber's book silently diverges, and a later checksum fails</td></tr>
 *   <tr><td>{@link #CORRUPT_CHECKSUM}</td><td>(no checksum: ignored)</td><td>the next book update
 *       carries a wrong checksum</td></tr>
 *   <tr><td>{@link #DISCONNECT}</td><td colspan="2">every connection of the exchange is closed at
 *       once by a TCP reset, without a close frame (as a network failure or Cloudflare's 1006)</td></tr>
 *   <tr><td>{@link #STALE}</td><td colspan="2">the exchange's open connections go silent (no
 *       updates, heartbeats, pongs), left open: by default until the client drops them (a
 *       half-open connection, longer than any liveness limit), or for the simulator's {@code
 *       staleFor}. New connections are served normally. A silent Kraken connection's book view does
 *       not move meanwhile; a silent Coinbase connection's sequence numbers are spent, so one that
 *       speaks again shows a gap</td></tr>
 *   <tr><td>{@link #REQUEST_RECONNECT}</td><td colspan="2">(no such message: ignored); Bitstamp
 *       sends {@code bts:request_reconnect} with its next book message</td></tr>
 * </table>
 */
@PublicEvolving
public enum StreamFault {
    DROP_MESSAGE,
    CORRUPT_CHECKSUM,
    DISCONNECT,
    STALE,
    /**
     * The venue asks its clients to reconnect, in its own words, with its next update (Bitstamp's
     * {@code bts:request_reconnect}); a venue without such a message ignores it.
     */
    REQUEST_RECONNECT;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The fault of a {@link #wireName()} (case-insensitive). */
    public static StreamFault fromWireName(String name) {
        for (StreamFault f : values()) {
            if (f.name().equalsIgnoreCase(name)) {
                return f;
            }
        }
        throw new IllegalArgumentException(
                "unknown stream fault '"
                        + name
                        + "': expected one of "
                        + Arrays.stream(values()).map(StreamFault::wireName).toList());
    }
}
