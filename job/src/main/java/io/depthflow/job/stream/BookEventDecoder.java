package io.depthflow.job.stream;

import io.depthflow.job.book.BookSync;
import io.depthflow.job.book.StreamBookState;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.venue.BookChecksum;
import io.depthflow.sources.venue.StreamProtocol;
import io.depthflow.sources.venue.Venues;
import io.depthflow.sources.ws.BookEvent;
import io.depthflow.sources.ws.StreamMessage;
import io.depthflow.sources.ws.StreamParsers;

import java.util.HashMap;
import java.util.Map;

/**
 * The decode half of stream verification: turns each message of one market (as routed by {@link
 * ConnectionTracker}, or one of its book reset markers) into exactly one venue-free {@link
 * BookEvent}, parsing the payload once with the venue's decoder. Runs where the raw text is at hand
 * (the stream job's {@code track-connections}, chained to the source, and {@code verify}), so every
 * error found here carries the payload verbatim:
 *
 * <ul>
 *   <li>a reset marker becomes a {@link BookEvent.Kind#RESET};
 *   <li>a book message becomes a {@link BookEvent.Kind#SNAPSHOT} or {@link BookEvent.Kind#UPDATE}
 *       with its level changes as exact scaled longs. For a venue with a book checksum the message
 *       is first applied to this step's own copy of the book (one {@link BookSync} per book, as the
 *       live source keeps one per connection to resubscribe): a mismatch is a {@code
 *       checksum_mismatch} error with the payload, and the event a {@link BookEvent.Kind#RESET}
 *       with reason {@code checksum_mismatch}; a value that does not fit is {@code malformed} and a
 *       reset {@code invalid}; a verified message is flagged {@link BookEvent#checked};
 *   <li>a subscribe ack becomes a {@link BookEvent.Kind#SUBSCRIBED} with its depth;
 *   <li>anything else ({@code malformed} payload, {@code exchange_error}, unsubscribe ack, ...) is
 *       recorded here if it is an error and becomes a {@link BookEvent.Kind#NOOP}.
 * </ul>
 *
 * <p>The book builder finds a message late when it is older than the book's open window, which
 * moves with the book's latest message and with the watermark. This step sees the same messages of
 * the book, in the same order, and a watermark at least as far as the builder's, so a message that
 * is not older than the window of {@code max(latest message, watermark + 1)} cannot be late there;
 * any other carries its payload ({@link BookEvent#payload}) so that the {@code late} error keeps
 * it.
 *
 * <p>One instance per thread; the returned event is reused by the next call. State (the checksum
 * books, the latest time per book) is transient: after a restore the books wait for a snapshot.
 */
public final class BookEventDecoder {

    /** Where the decoder's results go. */
    public interface Output {
        /** The book event of the message; valid until the next call. */
        void event(BookEvent event);

        /** A problem to record in ingest_errors, with the payload. */
        void error(IngestError error);
    }

    private final StreamParsers parsers = new StreamParsers();
    private final StreamMessage message = new StreamMessage();
    private final BookEvent event = new BookEvent();
    private final Map<String, Venue> venues = new HashMap<>();

    /** The last message decoded (valid after a book event; e.g. whether it had a checksum). */
    public StreamMessage message() {
        return message;
    }

    /**
     * Decodes {@code raw} (a message of one market, or a reset marker) into one event.
     *
     * @param watermark the current watermark at this step ({@code Long.MIN_VALUE} when none)
     */
    public void decode(RawMessage raw, long watermark, Output out) {
        boolean isReset = ConnectionTracker.KIND_BOOK_RESET.equals(raw.kind);
        BookEvent e = event.reset(raw.exchange, raw.market, raw.receivedAt, BookEvent.Kind.NOOP);
        Venue venue = venue(raw.exchange);
        Book book = venue.book(raw.exchange, raw.market);
        if (!isReset && book.possiblyLate(raw.receivedAt, watermark)) {
            e.payload = raw.payload;
        }
        if (isReset) {
            BookSync.Status reason = BookSync.Status.ofWireName(raw.payload);
            if (book.sync != null) {
                book.sync.invalidate(reason);
            }
            e.kind = BookEvent.Kind.RESET;
            e.reason = reason.wireName();
            out.event(e);
            return;
        }
        try {
            parsers.parse(raw.exchange, raw.payload, raw.market, message);
        } catch (BookParseException ex) {
            message.reset();
            out.error(ex.toIngestError(raw));
            out.event(e);
            return;
        }
        switch (message.type) {
            case BOOK_SNAPSHOT:
            case BOOK_UPDATE:
                book(raw, venue, book.sync, e, out);
                break;
            case SUBSCRIBED:
                if (book.sync != null) {
                    book.sync.onSubscribed(message.depth);
                }
                e.kind = BookEvent.Kind.SUBSCRIBED;
                e.depth = message.depth;
                break;
            case ERROR:
                out.error(
                        IngestError.of(
                                raw, IngestError.EXCHANGE, raw.exchange + ": " + message.error));
                break;
            default:
                break;
        }
        out.event(e);
    }

    private void book(RawMessage raw, Venue venue, BookSync sync, BookEvent e, Output out) {
        e.kind =
                message.type == StreamMessage.Type.BOOK_SNAPSHOT
                        ? BookEvent.Kind.SNAPSHOT
                        : BookEvent.Kind.UPDATE;
        if (sync == null) {
            e.setLevels(message);
            return;
        }
        switch (sync.apply(message, venue.checksum)) {
            case CHECKSUM_FAILED:
                out.error(
                        IngestError.of(
                                raw,
                                IngestError.CHECKSUM_MISMATCH,
                                raw.exchange
                                        + " "
                                        + raw.market
                                        + ": "
                                        + sync.failure()
                                        + "; book dropped, resubscribing for a fresh snapshot"));
                resetEvent(e, BookSync.Status.CHECKSUM, sync.failure());
                break;
            case REJECTED:
                out.error(
                        IngestError.of(
                                raw,
                                IngestError.MALFORMED,
                                raw.exchange + " " + raw.market + ": " + sync.failure()));
                resetEvent(e, BookSync.Status.INVALID, sync.failure());
                break;
            default:
                e.setLevels(message);
                e.checked = message.hasChecksum();
                break;
        }
    }

    private static void resetEvent(BookEvent e, BookSync.Status reason, String detail) {
        e.kind = BookEvent.Kind.RESET;
        e.reason = reason.wireName();
        e.detail = detail;
    }

    private Venue venue(String exchange) {
        Venue v = venues.get(exchange);
        if (v == null) {
            StreamProtocol protocol =
                    Venues.contains(exchange) ? Venues.get(exchange).stream() : null;
            v =
                    new Venue(
                            protocol != null && protocol.integrity().hasChecksum()
                                    ? protocol.newChecksum()
                                    : null);
            venues.put(exchange, v);
        }
        return v;
    }

    /** A venue's checksum engine (null without one) and this step's view of each of its books. */
    private static final class Venue {
        final BookChecksum checksum;
        final Map<String, Book> books = new HashMap<>();

        Venue(BookChecksum checksum) {
            this.checksum = checksum;
        }

        Book book(String exchange, String market) {
            Book b = books.get(market);
            if (b == null) {
                b = new Book(checksum == null ? null : BookSync.forExchange(exchange));
                books.put(market, b);
            }
            return b;
        }
    }

    /** One book as this step sees it: its latest time, and its copy when checksummed. */
    private static final class Book {
        /** This step's copy of the book (venues with a checksum), else null. */
        final BookSync sync;

        long latest = Long.MIN_VALUE;

        Book(BookSync sync) {
            this.sync = sync;
        }

        /** See the class comment; the first message of a book after a start carries it too. */
        boolean possiblyLate(long t, long watermark) {
            boolean first = latest == Long.MIN_VALUE;
            long front = Math.max(latest, watermark == Long.MAX_VALUE ? watermark : watermark + 1);
            latest = Math.max(latest, t);
            return first || t < StreamBookState.windowStart(front);
        }
    }
}
