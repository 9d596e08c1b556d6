package io.depthflow.job.book;

import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.venue.BookChecksum;
import io.depthflow.sources.venue.StreamProtocol;
import io.depthflow.sources.venue.Venues;
import io.depthflow.sources.ws.BookLevelChanges;
import io.depthflow.sources.ws.StreamMessage;

import java.util.List;

/**
 * Keeps one {@link L2Book} in step with an exchange's WebSocket book messages and knows whether it
 * can be trusted. Pure Java: the stream job's book builder holds one per key, {@code verify} one
 * per book of a capture.
 *
 * <p>States: a book is {@link Status#SYNCED} from a snapshot that passed its checksum until
 * something breaks the chain; then it is dropped (levels cleared) and waits for a fresh snapshot,
 * remembering why ({@link Status#GAP}, {@link Status#CHECKSUM}, {@link Status#STALE}, {@link
 * Status#DISCONNECTED}, {@link Status#INVALID}, {@link Status#RESTARTED}), and before its first
 * snapshot it is {@link Status#NO_SNAPSHOT}. Updates that arrive while not synced are ignored: they
 * cannot be applied to a book that is not there.
 *
 * <p>Rules ({@link #apply}):
 *
 * <ol>
 *   <li>A snapshot clears the book, applies its levels (rescaling for more fraction digits, see
 *       {@link L2Book#set(boolean, long, int, long, int)}), truncates to the subscribed depth and,
 *       when the message has a checksum, verifies it.
 *   <li>An update applies its levels in wire order (several changes to one price are fine, the last
 *       wins), truncates, and verifies the checksum after the whole message ("process all price
 *       level updates in a message before calculating the checksum").
 *   <li>A checksum that does not match drops the book ({@link Outcome#CHECKSUM_FAILED}); the caller
 *       records it and resubscribes.
 * </ol>
 *
 * <p>Depth: the venue's {@link StreamProtocol#bookDepth()}: unbounded ({@link #DEPTH_UNLIMITED},
 * Coinbase's level2), a fixed number of levels, or the subscribed depth ({@link
 * StreamProtocol#DEPTH_FROM_ACK}, Kraken), from the subscribe ack ({@link #onSubscribed}) or, when
 * the ack was not seen (a capture cut mid-stream), the smallest of the venue's depths that holds
 * the snapshot. Scales only grow over the life of a book, so a snapshot whose numbers happen to
 * lack trailing zeros is still formatted at the pair's decimals for the checksum. Not thread-safe.
 */
public final class BookSync {

    /** Whether a book can be trusted, and if not, why. Codes are part of the state format. */
    public enum Status {
        NO_SNAPSHOT(0, "no_snapshot"),
        SYNCED(1, "ok"),
        GAP(2, IngestError.SEQUENCE_GAP),
        CHECKSUM(3, IngestError.CHECKSUM_MISMATCH),
        STALE(4, IngestError.STALE_FEED),
        DISCONNECTED(5, IngestError.DISCONNECTED),
        INVALID(6, "invalid"),
        /** The job was restored from a checkpoint: what happened meanwhile was not seen. */
        RESTARTED(7, "job_restarted");

        private final int code;
        private final String wireName;

        Status(int code, String wireName) {
            this.code = code;
            this.wireName = wireName;
        }

        /** Stable code for the serialized state. */
        public int code() {
            return code;
        }

        /**
         * The name written to ClickHouse ({@code book_status}): {@code ok}, {@code sequence_gap},
         * ...
         */
        public String wireName() {
            return wireName;
        }

        public static Status ofCode(int code) {
            for (Status s : values()) {
                if (s.code == code) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown book status code " + code);
        }

        public static Status ofWireName(String name) {
            for (Status s : values()) {
                if (s.wireName.equals(name)) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown book status '" + name + "'");
        }
    }

    /** What one message did. */
    public enum Outcome {
        /** The book was (re)built from a snapshot and verified. */
        SNAPSHOT,
        /** An update was applied and verified (or had no checksum). */
        UPDATE,
        /** An update arrived while the book was not synced; nothing changed. */
        IGNORED,
        /** The checksum did not match: the book was dropped. */
        CHECKSUM_FAILED,
        /** A value could not be represented (scaled-long overflow): the book was dropped. */
        REJECTED
    }

    /** Depth of a book that is never truncated (the feed sends the whole book). */
    public static final int DEPTH_UNLIMITED = StreamProtocol.DEPTH_UNLIMITED;

    private final L2Book book;
    private final List<Integer> depths;
    private Status status;
    private int depth;
    private String failure;

    /** A book in state {@code status} with the given levels and depth (restored state). */
    public BookSync(L2Book book, Status status, int depth) {
        this(book, status, depth, List.of());
    }

    /**
     * As {@link #BookSync(L2Book, Status, int)}, with the venue's subscription depths (to infer the
     * depth of a snapshot whose ack was not seen).
     */
    public BookSync(L2Book book, Status status, int depth, List<Integer> depths) {
        this.book = book;
        this.depths = depths;
        this.status = status;
        this.depth = depth;
        book.setMaxDepth(Math.max(depth, 0));
    }

    /**
     * An empty, unsynced book for {@code exchange}, at its venue's {@link
     * StreamProtocol#bookDepth()} (unbounded for a name that is no registered venue, e.g. a
     * serializer's empty instance).
     */
    public static BookSync forExchange(String exchange) {
        if (!Venues.contains(exchange)) {
            return new BookSync(new L2Book(), Status.NO_SNAPSHOT, DEPTH_UNLIMITED);
        }
        StreamProtocol protocol = Venues.get(exchange).stream();
        return new BookSync(
                new L2Book(), Status.NO_SNAPSHOT, protocol.bookDepth(), protocol.depths());
    }

    /**
     * A restored book of {@code exchange} in state {@code status} with the given levels and depth,
     * knowing its venue's subscription depths.
     */
    public static BookSync restored(String exchange, L2Book book, Status status, int depth) {
        return new BookSync(
                book,
                status,
                depth,
                Venues.contains(exchange) ? Venues.get(exchange).stream().depths() : List.of());
    }

    /** The venue's subscription depths (for a snapshot whose ack was not seen). */
    public List<Integer> depths() {
        return depths;
    }

    public L2Book book() {
        return book;
    }

    public Status status() {
        return status;
    }

    public boolean isSynced() {
        return status == Status.SYNCED;
    }

    /** Subscribed depth; 0 while unknown; {@link #DEPTH_UNLIMITED} for unbounded books. */
    public int depth() {
        return depth;
    }

    /**
     * What went wrong with the last {@link Outcome#CHECKSUM_FAILED} or {@link Outcome#REJECTED}.
     */
    public String failure() {
        return failure;
    }

    /** A subscribe ack with the subscribed depth (venues whose depth comes from the ack). */
    public void onSubscribed(int subscribedDepth) {
        if (depth != DEPTH_UNLIMITED && subscribedDepth > 0) {
            depth = subscribedDepth;
            book.setMaxDepth(subscribedDepth);
        }
    }

    /**
     * Drops the book until the next snapshot, for {@code reason} (gap, stale, disconnect). A book
     * that is already unsynced keeps its first reason.
     */
    public void invalidate(Status reason) {
        if (reason == Status.SYNCED) {
            throw new IllegalArgumentException("invalidate needs a failure reason");
        }
        book.clear();
        if (status == Status.SYNCED) {
            status = reason;
        }
    }

    /**
     * Applies one parsed book message of this book's market (see the class rules); {@code checksum}
     * is the venue's (null when it has none: a message with a checksum then fails).
     */
    public Outcome apply(StreamMessage m, BookChecksum checksum) {
        if (!m.isBook()) {
            throw new IllegalArgumentException("not a book message: " + m.type);
        }
        return apply((BookLevelChanges) m, checksum);
    }

    /**
     * Applies one book message's level changes, from the venue's decoder or as a normalized {@link
     * io.depthflow.sources.ws.BookEvent} (whose checksum was verified where it was decoded).
     */
    public Outcome apply(BookLevelChanges m, BookChecksum checksum) {
        if (m.isSnapshot()) {
            book.clear();
            if (depth == 0) {
                book.setMaxDepth(inferDepth(m, depths));
            }
            if (!applyLevels(m)) {
                return Outcome.REJECTED;
            }
            if (!verify(m, checksum)) {
                return Outcome.CHECKSUM_FAILED;
            }
            status = Status.SYNCED;
            return Outcome.SNAPSHOT;
        }
        if (status != Status.SYNCED) {
            return Outcome.IGNORED;
        }
        if (!applyLevels(m)) {
            return Outcome.REJECTED;
        }
        return verify(m, checksum) ? Outcome.UPDATE : Outcome.CHECKSUM_FAILED;
    }

    /**
     * The book failed a check made elsewhere on the same messages (the decode step's copy of the
     * book failed its checksum, or a value did not fit): dropped, whatever its status, as {@link
     * #apply} drops it.
     */
    public void fail(Status reason, String why) {
        if (reason == Status.SYNCED) {
            throw new IllegalArgumentException("fail needs a failure reason");
        }
        book.clear();
        status = reason;
        failure = why;
    }

    private boolean applyLevels(BookLevelChanges m) {
        try {
            for (int i = 0; i < m.levelCount(); i++) {
                book.set(m.isBid(i), m.price(i), m.priceScale(i), m.size(i), m.sizeScale(i));
            }
        } catch (ArithmeticException e) {
            failure =
                    "a level does not fit a scaled long at the book's scales ("
                            + book.priceScale()
                            + "/"
                            + book.sizeScale()
                            + ")";
            book.clear();
            status = Status.INVALID;
            return false;
        }
        book.truncate();
        return true;
    }

    private boolean verify(BookLevelChanges m, BookChecksum checksum) {
        if (!m.hasChecksum()) {
            return true;
        }
        if (checksum == null) {
            failure =
                    "checksum "
                            + m.checksum()
                            + " in the message, but the venue has no checksum to verify it with";
            book.clear();
            status = Status.CHECKSUM;
            return false;
        }
        long actual = checksum.compute(book);
        if (actual == m.checksum()) {
            return true;
        }
        failure =
                "checksum "
                        + m.checksum()
                        + " in the message, "
                        + actual
                        + " computed on the book's "
                        + checksum.coverage()
                        + " (scales "
                        + book.priceScale()
                        + "/"
                        + book.sizeScale()
                        + ")";
        book.clear();
        status = Status.CHECKSUM;
        return false;
    }

    private static int inferDepth(BookLevelChanges m, List<Integer> depths) {
        int bids = 0;
        for (int i = 0; i < m.levelCount(); i++) {
            if (m.isBid(i)) {
                bids++;
            }
        }
        int most = Math.max(bids, m.levelCount() - bids);
        for (int d : depths) {
            if (most <= d) {
                return d;
            }
        }
        return most;
    }
}
