package io.depthflow.sources.venue;

import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.simulator.StreamScript;
import io.depthflow.sources.ws.StreamMessage;
import io.depthflow.sources.ws.StreamMessage.Type;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A client's reading of one venue's recorded (or scripted) session, through nothing but the venue's
 * {@link StreamProtocol}: every message decoded by its own decoder (which must name the market the
 * recording files it under), books rebuilt in a {@link TreeBook} oracle, the sequence checked by
 * its {@link ConnectionSequence} and every checksum by its {@link BookChecksum}. As a correct
 * client does, a book whose checksum fails is not used until its next snapshot, and a sequence gap
 * drops every book until the next connection. Names no venue.
 */
public final class ScriptedSession {

    public int connections;
    public int snapshots;
    public int updates;
    public int subscribed;
    public int heartbeats;
    public int reconnectRequests;
    public int sequenced;
    public int gaps;
    public int checksumsVerified;
    public int checksumsFailed;
    public int crossed;
    public final Map<String, TreeBook> books = new HashMap<>();

    private ScriptedSession() {}

    /**
     * A scripted session of {@code venue} alone (seed 5, BTC/USD and ETH/USD), with {@code fault}
     * (none when null) at round {@code faultRound}.
     */
    public static List<RawMessage> script(
            String venue, int updates, StreamFault fault, int faultRound) {
        StreamScript.Builder b =
                StreamScript.builder().seed(5).exchanges(List.of(venue)).updates(updates);
        if (fault != null) {
            b.fault(venue, fault, faultRound);
        }
        return b.build().messages();
    }

    /** Reads {@code messages} (one venue's) as that venue's client would. */
    public static ScriptedSession read(String venue, int depth, List<RawMessage> messages)
            throws BookParseException {
        StreamProtocol protocol = Venues.get(venue).stream();
        StreamDecoder decoder = protocol.newDecoder();
        ConnectionSequence sequence = protocol.newSequence();
        BookChecksum checksum = protocol.newChecksum();
        ScriptedSession s = new ScriptedSession();
        Set<String> unusable = new HashSet<>();
        StreamMessage m = new StreamMessage();
        for (RawMessage raw : messages) {
            if (!venue.equals(raw.exchange)) {
                throw new AssertionError("another venue's message in the session: " + raw);
            }
            if (RawMessage.KIND_WS_EVENT.equals(raw.kind)) {
                s.connections++;
                decoder = protocol.newDecoder();
                if (sequence != null) {
                    sequence.reset();
                }
                s.books.clear();
                unusable.clear();
                continue;
            }
            m.reset();
            decoder.decode(raw.payload, null, m);
            String filedUnder = m.markets.isEmpty() ? "" : m.market();
            if (!raw.market.equals(filedUnder)) {
                throw new AssertionError(
                        "filed under '" + raw.market + "' but concerns " + m + ": " + raw.payload);
            }
            if (m.type == Type.ERROR) {
                throw new AssertionError("an error in the session: " + raw.payload);
            }
            if (sequence != null && m.sequence >= 0) {
                s.sequenced++;
                if (sequence.accept(m.sequence) == ConnectionSequence.Verdict.GAP) {
                    s.gaps++;
                    unusable.addAll(s.books.keySet());
                    s.books.clear();
                }
            }
            switch (m.type) {
                case SUBSCRIBED -> s.subscribed++;
                case HEARTBEAT -> s.heartbeats++;
                case RECONNECT -> s.reconnectRequests++;
                case BOOK_SNAPSHOT, BOOK_UPDATE -> s.book(m, depth, checksum, unusable);
                default -> {}
            }
        }
        return s;
    }

    private void book(StreamMessage m, int depth, BookChecksum checksum, Set<String> unusable) {
        String market = m.market();
        if (m.type == Type.BOOK_SNAPSHOT) {
            snapshots++;
            unusable.remove(market);
            books.put(market, new TreeBook(depth));
        } else {
            updates++;
        }
        TreeBook book = books.get(market);
        if (book == null || unusable.contains(market)) {
            return; // waiting for a snapshot
        }
        book.apply(m);
        if (book.isCrossed()) {
            crossed++;
        }
        if (checksum != null && m.hasChecksum()) {
            if (checksum.compute(book) == m.checksum) {
                checksumsVerified++;
            } else {
                checksumsFailed++;
                unusable.add(market);
                books.remove(market);
            }
        }
    }
}
