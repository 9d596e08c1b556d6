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
    private final Map<String, long[]> latest = new HashMap<>();

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
        if (!isReset && possiblyLate(raw, watermark)) {
            e.payload = raw.payload;
        }
        Venue venue = venue(raw.exchange);
        if (isReset) {
            BookSync.Status reason = BookSync.Status.ofWireName(raw.payload);
            if (venue.books != null) {
                venue.book(raw.exchange, raw.market).invalidate(reason);
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
                book(raw, venue, e, out);
                break;
            case SUBSCRIBED:
                if (venue.books != null) {
                    venue.book(raw.exchange, raw.market).onSubscribed(message.depth);
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

    private void book(RawMessage raw, Venue venue, BookEvent e, Output out) {
        e.kind =
                message.type == StreamMessage.Type.BOOK_SNAPSHOT
                        ? BookEvent.Kind.SNAPSHOT
                        : BookEvent.Kind.UPDATE;
        if (venue.books == null) {
            e.setLevels(message);
            return;
        }
        BookSync sync = venue.book(raw.exchange, raw.market);
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

    private boolean possiblyLate(RawMessage raw, long watermark) {
        long[] last = latest.computeIfAbsent(raw.exchange + '|' + raw.market, k -> new long[1]);
        long t = raw.receivedAt;
        boolean first = last[0] == 0;
        long front = Math.max(last[0], watermark == Long.MAX_VALUE ? watermark : watermark + 1);
        last[0] = Math.max(last[0], t);
        // A book first seen after a restore may have a later window in the restored state.
        return first || t < StreamBookState.windowStart(front);
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

    /** A venue's checksum engine and this step's copy of its books (null without a checksum). */
    private static final class Venue {
        final BookChecksum checksum;
        final Map<String, BookSync> books;

        Venue(BookChecksum checksum) {
            this.checksum = checksum;
            this.books = checksum == null ? null : new HashMap<>();
        }

        BookSync book(String exchange, String market) {
            return books.computeIfAbsent(market, m -> BookSync.forExchange(exchange));
        }
    }
}
