package io.depthflow.job.stream;

import io.depthflow.job.book.BookSync;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.ws.BookEvent;

import java.util.function.Consumer;

/**
 * The market-level half of stream verification: applies one {@link BookEvent} of one market (as
 * decoded by {@link BookEventDecoder}) to that market's {@link BookSync}. No parsing: the event's
 * level changes are exact scaled longs, and its integrity verdict (checksum, sequence) was decided
 * where it was decoded. Pure Java, shared by the stream job's {@code book-builder} and {@code
 * verify}, so both make the same decisions:
 *
 * <ul>
 *   <li>a reset drops the book for its reason (a failed checksum or a value that did not fit drops
 *       it whatever its status, as the decode step's copy of the book was dropped);
 *   <li>a subscribe ack sets the subscribed depth (venues whose depth comes from the ack);
 *   <li>a snapshot or update is applied;
 *   <li>anything else leaves the book as it is.
 * </ul>
 */
public final class BookMessageHandler {

    /** What an event did to the book. */
    public enum Result {
        SNAPSHOT,
        UPDATE,
        /** An update while the book waits for a snapshot. */
        IGNORED,
        /** The decode step's checksum failed; the book was dropped. */
        CHECKSUM_FAILED,
        /** A value the book cannot represent; the book was dropped. */
        REJECTED,
        /** A reset marker (gap, disconnect, stale) dropped the book. */
        RESET,
        /** A subscribe ack. */
        ACK,
        /** Anything else for the market (errors were recorded where it was decoded). */
        NONE
    }

    public Result handle(BookEvent event, BookSync sync, Consumer<IngestError> errors) {
        switch (event.kind) {
            case SNAPSHOT:
            case UPDATE:
                return book(event, sync, errors);
            case SUBSCRIBED:
                sync.onSubscribed(event.depth);
                return Result.ACK;
            case RESET:
                BookSync.Status reason = BookSync.Status.ofWireName(event.reason);
                if (reason == BookSync.Status.CHECKSUM) {
                    sync.fail(reason, event.detail);
                    return Result.CHECKSUM_FAILED;
                }
                if (reason == BookSync.Status.INVALID) {
                    sync.fail(reason, event.detail);
                    return Result.REJECTED;
                }
                sync.invalidate(reason);
                return Result.RESET;
            default:
                return Result.NONE;
        }
    }

    private Result book(BookEvent event, BookSync sync, Consumer<IngestError> errors) {
        switch (sync.apply(event, null)) {
            case SNAPSHOT:
                return Result.SNAPSHOT;
            case UPDATE:
                return Result.UPDATE;
            case IGNORED:
                return Result.IGNORED;
            case REJECTED:
                // Only for a venue without a checksum (the decode step keeps no copy of its books
                // to find it first): the payload stayed at the source, so the error has none.
                errors.accept(
                        new IngestError(
                                event.exchange,
                                event.market,
                                event.receivedAt,
                                IngestError.MALFORMED,
                                event.exchange + " " + event.market + ": " + sync.failure(),
                                event.payload == null ? "" : event.payload));
                return Result.REJECTED;
            default:
                // CHECKSUM_FAILED cannot happen: an event carries no checksum to verify.
                throw new IllegalStateException();
        }
    }
}
