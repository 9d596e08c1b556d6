package io.depthflow.sources.venue;

import org.apache.flink.annotation.PublicEvolving;

import java.util.List;

/**
 * A venue's WebSocket book feed, as the shared supervised connection ({@code ws.FeedConnection}),
 * the job's connection tracker and book builder, {@code record} and {@code verify} use it:
 *
 * <ol>
 *   <li>connect to {@link #defaultUrl()} (or a configured URL), send {@link #subscribe};
 *   <li>decode every message ({@link #newDecoder()}); book messages are {@code BOOK_SNAPSHOT}
 *       (replace the book) or {@code BOOK_UPDATE} (apply in order, size 0 removes);
 *   <li>check {@link #integrity()}: with a sequence, a gap restarts the connection (fresh snapshots
 *       for every book); with a checksum, a mismatch drops that book and sends {@link #resubscribe}
 *       (or restarts the connection when the venue has no per-market resubscribe);
 *   <li>send {@link #ping} every ping interval when the venue needs an application-level ping; the
 *       shared supervisor reconnects after a silence longer than the stale limit.
 * </ol>
 *
 * Stateless and thread-safe; per-connection state lives in the objects the factories create.
 */
@PublicEvolving
public interface StreamProtocol {

    /** Depth of a book that is never truncated (the feed sends the whole book). */
    int DEPTH_UNLIMITED = -1;

    /** The book's depth is the subscribed depth, known from the subscribe ack. */
    int DEPTH_FROM_ACK = 0;

    /** The documented production URL ({@code wss://ws.bitstamp.net}). */
    String defaultUrl();

    /**
     * The subscription depths the venue accepts, smallest first (Kraken 10..1000); empty when the
     * subscription takes no depth.
     */
    List<Integer> depths();

    /** The depth subscribed when none is configured (ignored when {@link #depths()} is empty). */
    int defaultDepth();

    /**
     * The depth a client's book keeps: {@link #DEPTH_UNLIMITED}, {@link #DEPTH_FROM_ACK} (then,
     * before an ack was seen, the smallest of {@link #depths()} holding the snapshot), or a fixed
     * number of levels per side.
     */
    int bookDepth();

    /** The messages to send on a new connection to subscribe {@code markets}'s books. */
    List<String> subscribe(List<String> markets, int depth);

    /**
     * The messages that bring a fresh snapshot of one market on the open connection, after its book
     * failed its check; empty when the venue has none (the connection is restarted instead).
     *
     * @param decoder the connection's decoder, which has seen every message of it (channel ids)
     */
    List<String> resubscribe(String market, int depth, StreamDecoder decoder);

    /** An application-level ping with request id {@code id}, or null when the venue needs none. */
    String ping(long id);

    /** A decoder for one thread or connection. */
    StreamDecoder newDecoder();

    /** The venue's integrity mechanism. */
    Integrity integrity();

    /** A sequence tracker for one connection; null unless {@link Integrity#hasSequence()}. */
    default ConnectionSequence newSequence() {
        return null;
    }

    /**
     * The sequence number of a message without decoding it all, -1 when it has none (the job's
     * connection tracker checks every message once, before routing it by market).
     */
    default long peekSequence(String payload) {
        return -1;
    }

    /** A checksum engine for one thread; null unless {@link Integrity#hasChecksum()}. */
    default BookChecksum newChecksum() {
        return null;
    }
}
