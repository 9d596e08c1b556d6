package io.depthflow.sources.ws;

import org.apache.flink.annotation.PublicEvolving;

import java.util.ArrayList;
import java.util.List;

/**
 * One WebSocket message of a venue's book feed, decoded by the venue's {@code StreamDecoder}
 * ({@link StreamParsers#parse}): what it is, which markets it concerns and, for book messages, the
 * level changes in wire order as exact decimals (unscaled {@code long} plus that value's own scale:
 * the number of fraction digits it had on the wire, so nothing of the text is lost).
 *
 * <p>Mutable and reusable: a parser fills the same instance message after message, so the hot path
 * does not allocate per level. Not thread-safe.
 */
@PublicEvolving
public final class StreamMessage extends ScaledLevels {

    /** What a message is. */
    public enum Type {
        /**
         * A full book: replace the book with these levels (Kraken snapshot, Coinbase snapshot
         * event).
         */
        BOOK_SNAPSHOT,
        /** Level changes to apply in order (size 0 removes the level). */
        BOOK_UPDATE,
        /** A subscription was acknowledged (Kraken per symbol; Coinbase {@code subscriptions}). */
        SUBSCRIBED,
        /** An unsubscription was acknowledged (Kraken). */
        UNSUBSCRIBED,
        /**
         * Liveness only: Kraken {@code heartbeat}, Coinbase {@code heartbeats}, Kraken {@code
         * status}.
         */
        HEARTBEAT,
        /** The answer to an application-level ping (Kraken {@code pong}). */
        PONG,
        /**
         * The exchange reports a failure: Coinbase {@code error}, a Kraken ack with success false.
         */
        ERROR,
        /**
         * The venue asks the client to reconnect (Bitstamp {@code bts:request_reconnect}); the
         * connection starts over at once, with fresh snapshots.
         */
        RECONNECT,
        /** A message of a channel depthflow does not use (ignored, as the docs ask). */
        OTHER
    }

    public Type type;

    /**
     * The markets the message concerns (canonical {@code BTC/USD}), in order of appearance; empty
     * for connection-level messages (heartbeats, pongs, Coinbase {@code subscriptions}).
     */
    public final List<String> markets = new ArrayList<>(2);

    /**
     * The venue's sequence number (Coinbase's envelope {@code sequence_num}); -1 when the message
     * has none.
     */
    public long sequence;

    /**
     * The venue's book checksum after this message (Kraken's CRC32), unsigned 32-bit; -1 when
     * absent.
     */
    public long checksum;

    /** The subscribed depth from an ack (Kraken); 0 when absent. */
    public int depth;

    /** The exchange's error text for {@link Type#ERROR}, else null. */
    public String error;

    public StreamMessage() {
        super(16);
    }

    /** Clears everything for the next message. */
    public void reset() {
        type = null;
        markets.clear();
        sequence = -1;
        checksum = -1;
        depth = 0;
        error = null;
        levelCount = 0;
    }

    @Override
    public boolean isSnapshot() {
        return type == Type.BOOK_SNAPSHOT;
    }

    @Override
    public long checksum() {
        return checksum;
    }

    public boolean isBook() {
        return type == Type.BOOK_SNAPSHOT || type == Type.BOOK_UPDATE;
    }

    @Override
    public boolean hasChecksum() {
        return checksum >= 0;
    }

    /** The single market of a message, or null when it concerns none or several. */
    public String market() {
        return markets.size() == 1 ? markets.get(0) : null;
    }

    /** Adds a market to {@link #markets} unless already there. */
    public void addMarket(String market) {
        if (!markets.contains(market)) {
            markets.add(market);
        }
    }

    @Override
    public String toString() {
        StringBuilder s =
                new StringBuilder("StreamMessage{").append(type).append(' ').append(markets);
        if (sequence >= 0) {
            s.append(" seq=").append(sequence);
        }
        if (checksum >= 0) {
            s.append(" checksum=").append(checksum);
        }
        if (error != null) {
            s.append(" error=").append(error);
        }
        appendLevels(s);
        return s.append('}').toString();
    }
}
