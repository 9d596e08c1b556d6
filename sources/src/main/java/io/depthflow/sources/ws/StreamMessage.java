package io.depthflow.sources.ws;

import org.apache.flink.annotation.PublicEvolving;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
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
public final class StreamMessage implements BookLevelChanges {

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

    /** Number of level changes held. */
    public int levelCount;

    private boolean[] bid = new boolean[16];
    private long[] price = new long[16];
    private byte[] priceScale = new byte[16];
    private long[] size = new long[16];
    private byte[] sizeScale = new byte[16];

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

    /** Keeps only the first {@code count} levels (drops an event that turned out not to apply). */
    public void truncateLevels(int count) {
        levelCount = Math.min(levelCount, count);
    }

    /**
     * Drops the levels before index {@code start}, moving the rest to the front (a Coinbase
     * snapshot event supersedes the events before it).
     */
    public void keepLevelsFrom(int start) {
        int n = levelCount - start;
        System.arraycopy(bid, start, bid, 0, n);
        System.arraycopy(price, start, price, 0, n);
        System.arraycopy(priceScale, start, priceScale, 0, n);
        System.arraycopy(size, start, size, 0, n);
        System.arraycopy(sizeScale, start, sizeScale, 0, n);
        levelCount = n;
    }

    public void addLevel(
            boolean isBid, long unscaledPrice, int pScale, long unscaledSize, int sScale) {
        if (levelCount == bid.length) {
            int n = bid.length * 2;
            bid = Arrays.copyOf(bid, n);
            price = Arrays.copyOf(price, n);
            priceScale = Arrays.copyOf(priceScale, n);
            size = Arrays.copyOf(size, n);
            sizeScale = Arrays.copyOf(sizeScale, n);
        }
        bid[levelCount] = isBid;
        price[levelCount] = unscaledPrice;
        priceScale[levelCount] = (byte) pScale;
        size[levelCount] = unscaledSize;
        sizeScale[levelCount] = (byte) sScale;
        levelCount++;
    }

    @Override
    public boolean isSnapshot() {
        return type == Type.BOOK_SNAPSHOT;
    }

    @Override
    public int levelCount() {
        return levelCount;
    }

    @Override
    public long checksum() {
        return checksum;
    }

    @Override
    public boolean isBid(int i) {
        return bid[i];
    }

    @Override
    public long price(int i) {
        return price[i];
    }

    @Override
    public int priceScale(int i) {
        return priceScale[i];
    }

    @Override
    public long size(int i) {
        return size[i];
    }

    @Override
    public int sizeScale(int i) {
        return sizeScale[i];
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
        for (int i = 0; i < Math.min(levelCount, 4); i++) {
            s.append(i == 0 ? " levels=" : ",")
                    .append(bid[i] ? 'b' : 'a')
                    .append(BigDecimal.valueOf(price[i], priceScale[i]).toPlainString())
                    .append('x')
                    .append(BigDecimal.valueOf(size[i], sizeScale[i]).toPlainString());
        }
        if (levelCount > 4) {
            s.append(",... (").append(levelCount).append(')');
        }
        return s.append('}').toString();
    }
}
