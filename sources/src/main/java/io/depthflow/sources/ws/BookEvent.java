package io.depthflow.sources.ws;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInfo;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Objects;

/**
 * One normalized, venue-free event of one book ({@code exchange} and canonical {@code market}):
 * what the stream job's keyed book builder consumes instead of the venue's JSON. The stream's
 * decode step (the job's {@code track-connections}, at the source's parallelism) parses each
 * WebSocket message once with the venue's decoder, checks the connection's integrity (sequence
 * numbers, and the book checksum on its own copy of a checksummed venue's books) and emits one
 * event per message and market:
 *
 * <ul>
 *   <li>{@link Kind#SNAPSHOT} / {@link Kind#UPDATE}: the level changes in wire order, exact
 *       (unscaled {@code long} plus the scale the value had on the wire); {@link #checked} says
 *       that the venue's checksum was verified after it;
 *   <li>{@link Kind#SUBSCRIBED}: a subscribe ack with the subscribed {@link #depth};
 *   <li>{@link Kind#RESET}: the book must be dropped for {@link #reason} (a book status wire name:
 *       {@code sequence_gap}, {@code checksum_mismatch}, {@code disconnected}, ...), {@link
 *       #detail} says what failed;
 *   <li>{@link Kind#NOOP}: any other message of the market (an unsubscribe ack, an exchange error,
 *       a payload that did not parse: recorded at the decode step, with the payload); it changes
 *       nothing but the book's clock.
 * </ul>
 *
 * The raw payload does not travel (it goes verbatim to the raw sinks and with the errors found
 * where it was decoded), except in {@link #payload} when the decode step cannot rule out that the
 * book builder will find the message late, so that the {@code late} error still carries it.
 *
 * <p>Serialized by {@link BookEventSerializer} (hand-written: 19 bytes per level plus a header of
 * the two names and 10 bytes). Mutable, not thread-safe.
 */
@PublicEvolving
@TypeInfo(BookEventTypeInfo.Factory.class)
public final class BookEvent implements BookLevelChanges {

    /** What the event is. Codes are the serialized form. */
    public enum Kind {
        SNAPSHOT,
        UPDATE,
        SUBSCRIBED,
        RESET,
        NOOP;

        private static final Kind[] VALUES = values();

        static Kind ofCode(int code) {
            if (code < 0 || code >= VALUES.length) {
                throw new IllegalArgumentException("unknown book event kind " + code);
            }
            return VALUES[code];
        }
    }

    public String exchange;
    public String market;

    /** When the message was received, UTC epoch ms (its event time). */
    public long receivedAt;

    public Kind kind;

    /** {@link Kind#SUBSCRIBED}: the subscribed depth (0 when the ack names none). */
    public int depth;

    /** {@link Kind#SNAPSHOT}/{@link Kind#UPDATE}: the venue's checksum was verified after it. */
    public boolean checked;

    /** {@link Kind#RESET}: the book status wire name of the reason. */
    public String reason;

    /** {@link Kind#RESET}: what failed, when known (a checksum's figures); else null. */
    public String detail;

    /**
     * The raw payload, only when it may be needed downstream (see the class comment); else null.
     */
    public String payload;

    private int levelCount;
    private boolean[] bid;
    private long[] price;
    private byte[] priceScale;
    private long[] size;
    private byte[] sizeScale;

    public BookEvent() {
        this(8);
    }

    BookEvent(int capacity) {
        int n = Math.max(capacity, 1);
        bid = new boolean[n];
        price = new long[n];
        priceScale = new byte[n];
        size = new long[n];
        sizeScale = new byte[n];
    }

    /** Starts a new event of {@code kind} (clears every field but the arrays). */
    public BookEvent reset(String exchange, String market, long receivedAt, Kind kind) {
        this.exchange = exchange;
        this.market = market;
        this.receivedAt = receivedAt;
        this.kind = kind;
        this.depth = 0;
        this.checked = false;
        this.reason = null;
        this.detail = null;
        this.payload = null;
        this.levelCount = 0;
        return this;
    }

    /** Copies the level changes of {@code from} (replacing any held). */
    public BookEvent setLevels(BookLevelChanges from) {
        int n = from.levelCount();
        ensureCapacity(n);
        for (int i = 0; i < n; i++) {
            bid[i] = from.isBid(i);
            price[i] = from.price(i);
            priceScale[i] = (byte) from.priceScale(i);
            size[i] = from.size(i);
            sizeScale[i] = (byte) from.sizeScale(i);
        }
        levelCount = n;
        return this;
    }

    /** Appends one level change. */
    public void addLevel(boolean isBid, long p, int pScale, long s, int sScale) {
        ensureCapacity(levelCount + 1);
        bid[levelCount] = isBid;
        price[levelCount] = p;
        priceScale[levelCount] = (byte) pScale;
        size[levelCount] = s;
        sizeScale[levelCount] = (byte) sScale;
        levelCount++;
    }

    private void ensureCapacity(int n) {
        if (n > bid.length) {
            int c = Math.max(n, bid.length * 2);
            bid = Arrays.copyOf(bid, c);
            price = Arrays.copyOf(price, c);
            priceScale = Arrays.copyOf(priceScale, c);
            size = Arrays.copyOf(size, c);
            sizeScale = Arrays.copyOf(sizeScale, c);
        }
    }

    /** A deep copy. */
    public BookEvent copy() {
        BookEvent c = new BookEvent(levelCount);
        c.reset(exchange, market, receivedAt, kind);
        c.depth = depth;
        c.checked = checked;
        c.reason = reason;
        c.detail = detail;
        c.payload = payload;
        c.setLevels(this);
        return c;
    }

    public boolean isBook() {
        return kind == Kind.SNAPSHOT || kind == Kind.UPDATE;
    }

    @Override
    public boolean isSnapshot() {
        return kind == Kind.SNAPSHOT;
    }

    @Override
    public int levelCount() {
        return levelCount;
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

    /** Verified at the decode step already: nothing for the book builder to check. */
    @Override
    public boolean hasChecksum() {
        return false;
    }

    @Override
    public long checksum() {
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BookEvent)) {
            return false;
        }
        BookEvent e = (BookEvent) o;
        if (receivedAt != e.receivedAt
                || kind != e.kind
                || depth != e.depth
                || checked != e.checked
                || levelCount != e.levelCount
                || !Objects.equals(exchange, e.exchange)
                || !Objects.equals(market, e.market)
                || !Objects.equals(reason, e.reason)
                || !Objects.equals(detail, e.detail)
                || !Objects.equals(payload, e.payload)) {
            return false;
        }
        for (int i = 0; i < levelCount; i++) {
            if (bid[i] != e.bid[i]
                    || price[i] != e.price[i]
                    || priceScale[i] != e.priceScale[i]
                    || size[i] != e.size[i]
                    || sizeScale[i] != e.sizeScale[i]) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(exchange, market, receivedAt, kind, depth, reason, levelCount);
        for (int i = 0; i < levelCount; i++) {
            h = 31 * h + Long.hashCode(price[i]) + 7 * Long.hashCode(size[i]);
        }
        return h;
    }

    @Override
    public String toString() {
        StringBuilder s =
                new StringBuilder("BookEvent{")
                        .append(exchange)
                        .append(' ')
                        .append(market)
                        .append(' ')
                        .append(kind)
                        .append(" at=")
                        .append(receivedAt);
        if (kind == Kind.SUBSCRIBED) {
            s.append(" depth=").append(depth);
        }
        if (reason != null) {
            s.append(" reason=").append(reason);
        }
        if (checked) {
            s.append(" checked");
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
