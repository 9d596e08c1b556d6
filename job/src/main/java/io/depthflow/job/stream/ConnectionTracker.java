package io.depthflow.job.stream;

import io.depthflow.job.book.BookSync;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.venue.ConnectionSequence;
import io.depthflow.sources.venue.ConnectionSequence.Verdict;
import io.depthflow.sources.venue.StreamProtocol;
import io.depthflow.sources.venue.Venues;
import io.depthflow.sources.ws.ConnectionEvent;
import io.depthflow.sources.ws.StreamMessage;
import io.depthflow.sources.ws.StreamParsers;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The connection-level half of stream verification, run on each exchange's messages in arrival
 * order before they are split by market (the stream job's {@code track-connections} operator, and
 * {@code verify}). Pure Java; venue-free: the venue's {@link StreamProtocol} says whether its feed
 * has sequence numbers. For every message:
 *
 * <ul>
 *   <li>A venue with sequence numbers (Coinbase's envelope {@code sequence_num}): the number
 *       ({@link StreamProtocol#peekSequence}) goes through the venue's {@link ConnectionSequence},
 *       once per WebSocket message: a message whose events name several products arrives once per
 *       product (same payload, same number, another market), and every copy after the first goes to
 *       its product's book without a second check. A gap means some message of the connection was
 *       lost, product unknown: one {@code sequence_gap} error (market empty, with the message that
 *       showed it) and a book reset marker for every market of that exchange. A number below the
 *       last one is an old message: dropped, counted. A restart at 0 without a {@code connected}
 *       event (a new connection) resets every book too, and so does a message that does not parse
 *       (its changes are lost as surely as a dropped message's, and a feed without a checksum
 *       cannot show it later).
 *   <li>{@code ws_event} lines: {@code connected} starts a new sequence; {@code disconnected} and
 *       {@code stale} reset every book of the exchange and are recorded as {@code disconnected} /
 *       {@code stale_feed} errors.
 *   <li>Messages of one market go on to that market's book; connection-level messages (heartbeats,
 *       subscription lists, pongs) end here, except the exchange's error messages and payloads that
 *       do not parse, which become {@code exchange_error} / {@code malformed} errors.
 * </ul>
 *
 * A reset marker is a {@link RawMessage} of kind {@link #KIND_BOOK_RESET} whose payload is the
 * {@link BookSync.Status} wire name of the reason. Not thread-safe; state is per connection and
 * transient (after a restore the sources open new connections, which restart every sequence).
 */
public final class ConnectionTracker {

    /** Kind of the book reset markers sent to the book builder. */
    public static final String KIND_BOOK_RESET = "book_reset";

    /** Where the tracker's results go. */
    public interface Output {
        /** A message for one market's book, or a reset marker. */
        void forward(RawMessage message);

        /** A problem to record in ingest_errors. */
        void error(IngestError error);
    }

    private final Map<String, ConnectionSequence> sequences = new HashMap<>();
    private final Map<String, LastMessage> lastMessages = new HashMap<>();
    private final Map<String, Set<String>> markets = new HashMap<>();
    private final StreamParsers parsers = new StreamParsers();
    private final StreamMessage message = new StreamMessage();
    private long gaps;
    private long outOfOrder;

    /** Sequence gaps seen. */
    public long gaps() {
        return gaps;
    }

    /** Old (out-of-order or duplicate) messages dropped. */
    public long outOfOrder() {
        return outOfOrder;
    }

    public void onMessage(RawMessage raw, Output out) {
        Set<String> known = markets.computeIfAbsent(raw.exchange, e -> new LinkedHashSet<>());
        if (RawMessage.KIND_WS_EVENT.equals(raw.kind)) {
            onEvent(raw, known, out);
            return;
        }
        if (!RawMessage.KIND_WS.equals(raw.kind)) {
            out.error(
                    IngestError.of(
                            raw,
                            IngestError.MALFORMED,
                            raw.exchange + ": not a WebSocket message (kind " + raw.kind + ")"));
            return;
        }
        StreamProtocol protocol =
                Venues.contains(raw.exchange) ? Venues.get(raw.exchange).stream() : null;
        if (protocol != null && protocol.integrity().hasSequence()) {
            ConnectionSequence sequence =
                    sequences.computeIfAbsent(raw.exchange, e -> protocol.newSequence());
            long before = sequence.last();
            long seq = protocol.peekSequence(raw.payload);
            LastMessage last = lastMessages.computeIfAbsent(raw.exchange, e -> new LastMessage());
            if (last.isCopyForAnotherMarket(seq, raw)) {
                // The same WebSocket message, handed over once per product it names: its
                // sequence_num was checked with its first copy; this product's book gets it too.
                known.add(raw.market);
                out.forward(raw);
                return;
            }
            Verdict verdict = sequence.accept(seq);
            if (verdict != Verdict.OUT_OF_ORDER) {
                last.accepted(seq, raw);
            }
            switch (verdict) {
                case GAP:
                    gaps++;
                    out.error(
                            new IngestError(
                                    raw.exchange,
                                    "",
                                    raw.receivedAt,
                                    IngestError.SEQUENCE_GAP,
                                    raw.exchange
                                            + ": sequence number "
                                            + seq
                                            + " after "
                                            + before
                                            + ": "
                                            + sequence.missing()
                                            + " message(s) lost; every book of the connection is dropped until its next snapshot",
                                    raw.payload));
                    resetAll(raw, known, BookSync.Status.GAP, out);
                    break;
                case OUT_OF_ORDER:
                    outOfOrder++;
                    return;
                case RESTART:
                    if (before > 0) {
                        // A new connection that was not announced: nothing carries over.
                        resetAll(raw, known, BookSync.Status.DISCONNECTED, out);
                    }
                    break;
                default:
                    break;
            }
        }
        if (!raw.market.isEmpty()) {
            known.add(raw.market);
            out.forward(raw);
            return;
        }
        try {
            parsers.parse(raw.exchange, raw.payload, null, message);
            if (message.type == StreamMessage.Type.ERROR) {
                out.error(
                        IngestError.of(
                                raw, IngestError.EXCHANGE, raw.exchange + ": " + message.error));
            }
        } catch (BookParseException e) {
            out.error(e.toIngestError(raw));
            if (protocol != null && !protocol.integrity().hasChecksum()) {
                // An unreadable message of a feed without checksums is a lost message: its
                // changes, if it had any, can never be applied, and no later message would show
                // it. (A checksummed book's next checksum does.)
                resetAll(raw, known, BookSync.Status.GAP, out);
            }
        }
    }

    private void onEvent(RawMessage raw, Set<String> known, Output out) {
        ConnectionEvent event = ConnectionEvent.of(raw.payload);
        if (event == null) {
            out.error(
                    IngestError.of(
                            raw,
                            IngestError.MALFORMED,
                            raw.exchange + ": unknown connection event"));
            return;
        }
        switch (event) {
            case CONNECTED:
                ConnectionSequence sequence = sequences.get(raw.exchange);
                if (sequence != null) {
                    sequence.reset();
                }
                break;
            case DISCONNECTED:
                out.error(
                        IngestError.of(
                                raw,
                                IngestError.DISCONNECTED,
                                raw.exchange
                                        + ": connection lost; every book of the connection is dropped until its next snapshot"));
                resetAll(raw, known, BookSync.Status.DISCONNECTED, out);
                break;
            case STALE:
                out.error(
                        IngestError.of(
                                raw,
                                IngestError.STALE_FEED,
                                raw.exchange
                                        + ": no message within the liveness deadline; every book of the connection is dropped until its next snapshot"));
                resetAll(raw, known, BookSync.Status.STALE, out);
                break;
            default:
                throw new IllegalStateException("unhandled " + event);
        }
    }

    private static void resetAll(
            RawMessage raw, Set<String> known, BookSync.Status reason, Output out) {
        for (String market : known) {
            out.forward(
                    new RawMessage(
                            raw.exchange,
                            market,
                            KIND_BOOK_RESET,
                            raw.receivedAt,
                            0,
                            reason.wireName(),
                            null));
        }
    }

    /**
     * The last sequenced message that passed the sequence check, and the markets it was forwarded
     * to, so that its copies for the other products it names are recognised.
     */
    private static final class LastMessage {
        private long sequence = -1;
        private String payload;
        private final Set<String> markets = new HashSet<>();

        boolean isCopyForAnotherMarket(long seq, RawMessage raw) {
            return seq >= 0
                    && seq == sequence
                    && !raw.market.isEmpty()
                    && raw.payload.equals(payload)
                    && markets.add(raw.market);
        }

        void accepted(long seq, RawMessage raw) {
            sequence = seq;
            payload = raw.payload;
            markets.clear();
            markets.add(raw.market);
        }
    }
}
