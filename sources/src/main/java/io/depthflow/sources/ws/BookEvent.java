package io.depthflow.sources.ws;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInfo;

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
public final class BookEvent extends ScaledLevels {

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

    public BookEvent() {
        this(8);
    }

    BookEvent(int capacity) {
        super(capacity);
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
        copyLevels(from);
        return this;
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
                || !Objects.equals(exchange, e.exchange)
                || !Objects.equals(market, e.market)
                || !Objects.equals(reason, e.reason)
                || !Objects.equals(detail, e.detail)
                || !Objects.equals(payload, e.payload)) {
            return false;
        }
        return sameLevels(e);
    }

    @Override
    public int hashCode() {
        return levelsHash(
                Objects.hash(exchange, market, receivedAt, kind, depth, reason, levelCount));
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
        appendLevels(s);
        return s.append('}').toString();
    }
}
