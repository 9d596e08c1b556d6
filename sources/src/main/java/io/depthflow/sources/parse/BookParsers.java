package io.depthflow.sources.parse;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.venue.Venues;

/**
 * Turns any {@link RawMessage} into a validated {@link OrderBookSnapshot}, or says why it cannot.
 *
 * <p>Order of checks: a poll with no response is {@link IngestError#TRANSPORT}; then the venue's
 * parser decides ({@code Venue.rest().parse}, see {@link
 * io.depthflow.sources.venue.RestProtocol#parse}): non-200 status is {@link IngestError#HTTP}, an
 * error the exchange reports in a 200 body is {@link IngestError#EXCHANGE}, a body that is not the
 * documented shape is {@link IngestError#MALFORMED}, and a well-formed book with an empty side or
 * crossed prices is {@link IngestError#EMPTY_BOOK} or {@link IngestError#CROSSED_BOOK}. Levels come
 * out as exact scaled longs, sorted best first ({@link BookNormalizer} says why scaled longs).
 * Stateless and thread-safe.
 *
 * <pre>{@code
 * try {
 *     out.collect(BookParsers.parse(raw));
 * } catch (BookParseException e) {
 *     ctx.output(ERRORS, e.toIngestError(raw));
 * }
 * }</pre>
 */
@PublicEvolving
public final class BookParsers {

    private BookParsers() {}

    public static OrderBookSnapshot parse(RawMessage raw) throws BookParseException {
        if (!raw.hasResponse()) {
            throw new BookParseException(IngestError.TRANSPORT, raw.exchange + ": " + raw.error);
        }
        if (!RawMessage.KIND_REST_BOOK.equals(raw.kind)) {
            throw new BookParseException(
                    IngestError.MALFORMED,
                    raw.exchange + ": no parser for message kind '" + raw.kind + "'");
        }
        if (Venues.contains(raw.exchange)) {
            return Venues.get(raw.exchange).rest().parse(raw);
        }
        throw new BookParseException(
                IngestError.MALFORMED, "no parser for exchange '" + raw.exchange + "'");
    }
}
