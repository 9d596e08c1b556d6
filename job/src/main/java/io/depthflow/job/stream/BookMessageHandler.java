package io.depthflow.job.stream;

import io.depthflow.job.book.BookSync;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.venue.BookChecksum;
import io.depthflow.sources.venue.Venues;
import io.depthflow.sources.ws.StreamMessage;
import io.depthflow.sources.ws.StreamParsers;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The market-level half of stream verification: applies one message of one market (as routed by
 * {@link ConnectionTracker}) to that market's {@link BookSync}. Pure Java, shared by the stream
 * job's {@code book-builder} and {@code verify}, so both make the same decisions:
 *
 * <ul>
 *   <li>a book reset marker drops the book for its reason;
 *   <li>a subscribe ack sets the subscribed depth (venues whose depth comes from the ack);
 *   <li>a book message is applied and verified; a checksum mismatch becomes a {@code
 *       checksum_mismatch} error carrying the message (the book is dropped and waits for the
 *       snapshot that the source's resubscription brings);
 *   <li>a payload that does not parse is {@code malformed}, an exchange error for the market is
 *       {@code exchange_error}; neither touches the book.
 * </ul>
 *
 * One instance per thread (reuses its parser, message and checksum buffers).
 */
public final class BookMessageHandler {

    /** What a message did to the book. */
    public enum Result {
        SNAPSHOT,
        UPDATE,
        /** An update while the book waits for a snapshot. */
        IGNORED,
        CHECKSUM_FAILED,
        /** A value the book cannot represent; the book was dropped. */
        REJECTED,
        /** A reset marker dropped the book. */
        RESET,
        /** A subscribe or unsubscribe ack. */
        ACK,
        /** An exchange error or a malformed payload (recorded, book untouched). */
        ERROR,
        /** Anything else for the market (ignored). */
        NONE
    }

    private final StreamParsers parsers = new StreamParsers();
    private final StreamMessage message = new StreamMessage();
    private final Map<String, BookChecksum> checksums = new HashMap<>();

    /** The last parsed message (valid after a book result). */
    public StreamMessage message() {
        return message;
    }

    /** The venue's checksum engine (null when it has none), one per venue and thread. */
    private BookChecksum checksum(String exchange) {
        BookChecksum c = checksums.get(exchange);
        if (c == null && !checksums.containsKey(exchange)) {
            c = Venues.contains(exchange) ? Venues.get(exchange).stream().newChecksum() : null;
            checksums.put(exchange, c);
        }
        return c;
    }

    public Result handle(RawMessage raw, BookSync sync, Consumer<IngestError> errors) {
        if (ConnectionTracker.KIND_BOOK_RESET.equals(raw.kind)) {
            sync.invalidate(BookSync.Status.ofWireName(raw.payload));
            return Result.RESET;
        }
        try {
            parsers.parse(raw.exchange, raw.payload, raw.market, message);
        } catch (BookParseException e) {
            errors.accept(e.toIngestError(raw));
            return Result.ERROR;
        }
        switch (message.type) {
            case BOOK_SNAPSHOT:
            case BOOK_UPDATE:
                return book(raw, sync, errors);
            case SUBSCRIBED:
                sync.onSubscribed(message.depth);
                return Result.ACK;
            case UNSUBSCRIBED:
                return Result.ACK;
            case ERROR:
                errors.accept(
                        IngestError.of(
                                raw, IngestError.EXCHANGE, raw.exchange + ": " + message.error));
                return Result.ERROR;
            default:
                return Result.NONE;
        }
    }

    private Result book(RawMessage raw, BookSync sync, Consumer<IngestError> errors) {
        switch (sync.apply(message, checksum(raw.exchange))) {
            case SNAPSHOT:
                return Result.SNAPSHOT;
            case UPDATE:
                return Result.UPDATE;
            case IGNORED:
                return Result.IGNORED;
            case CHECKSUM_FAILED:
                errors.accept(
                        IngestError.of(
                                raw,
                                IngestError.CHECKSUM_MISMATCH,
                                raw.exchange
                                        + " "
                                        + raw.market
                                        + ": "
                                        + sync.failure()
                                        + "; book dropped, resubscribing for a fresh snapshot"));
                return Result.CHECKSUM_FAILED;
            case REJECTED:
                errors.accept(
                        IngestError.of(
                                raw,
                                IngestError.MALFORMED,
                                raw.exchange + " " + raw.market + ": " + sync.failure()));
                return Result.REJECTED;
            default:
                throw new IllegalStateException();
        }
    }
}
