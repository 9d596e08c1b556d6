package io.depthflow.sources.venue.bitfinex;

import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.MarketBook;
import io.depthflow.sources.simulator.ScriptSettings;
import io.depthflow.sources.simulator.ScriptedFeed;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.venue.SimBooks;
import io.depthflow.sources.ws.ConnectionEvent;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Bitfinex's side of a {@code StreamScript}, written by the simulator's own {@link
 * BitfinexFeedSession}: one connection, its {@code info}, the {@code conf} ack (sequence numbers
 * and checksums on), then per market {@code subscribed}, the snapshot of the subscribed {@code len}
 * and its {@code cs}; each round, per market, one message per changed level of the view and a
 * {@code cs}, every message ending with the connection's next sequence number; {@code hb} per
 * channel every {@value Bitfinex#HEARTBEAT_SECONDS} s. Faults, on the round's first market with a
 * change: {@link StreamFault#CORRUPT_CHECKSUM}: its {@code cs} is wrong, then the client's
 * resubscription ({@code unsubscribed}, {@code subscribed} with a new channel id, a fresh snapshot
 * and {@code cs}); {@link StreamFault#DROP_MESSAGE}: a level message is never delivered (its
 * sequence number is spent), the next message shows the gap and the client reconnects (a {@code
 * connected} event, then a new connection from sequence 1 with fresh snapshots).
 */
final class BitfinexScriptedFeed implements ScriptedFeed {

    private final ScriptSettings settings;
    private final Map<String, MarketBook> books = new LinkedHashMap<>();
    private BitfinexFeedSession session;
    private int connections;
    private long seconds;

    BitfinexScriptedFeed(ScriptSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(long t, List<RawMessage> out) {
        for (String m : settings.markets()) {
            books.put(
                    m,
                    BitfinexStreamDialect.book(
                            m,
                            settings.random(),
                            Math.max(settings.levels(), settings.depth() + 40)));
        }
        connect(t, out);
    }

    @Override
    public void round(long t, StreamFault fault, List<RawMessage> out) {
        StreamFault pending =
                fault == StreamFault.CORRUPT_CHECKSUM || fault == StreamFault.DROP_MESSAGE
                        ? fault
                        : null;
        boolean reconnect = false;
        for (Map.Entry<String, MarketBook> e : books.entrySet()) {
            String m = e.getKey();
            e.getValue().step(settings.random(), 1 + settings.random().nextInt(4));
            if (pending == StreamFault.CORRUPT_CHECKSUM) {
                session.corruptNextChecksum(m);
            } else if (pending == StreamFault.DROP_MESSAGE) {
                session.dropNextUpdate(m);
            }
            List<String> messages = session.onStep(m);
            messages.forEach(p -> out.add(message(m, t, p)));
            if (pending != null && session.faultPending(m)) {
                session.cancelFaults(m); // nothing of this market moved: the next market's turn
            } else if (pending == StreamFault.CORRUPT_CHECKSUM) {
                pending = null;
                long chanId = session.channelOf(m);
                session.onText(Bitfinex.unsubscribe(chanId), t)
                        .forEach(p -> out.add(message(m, t, p)));
                subscribe(m, t, out);
            } else if (pending == StreamFault.DROP_MESSAGE) {
                pending = null;
                reconnect = true;
            }
        }
        if (reconnect) {
            // The market's next message (its cs at the latest) shows the gap: the client starts
            // over on a new connection.
            connect(t, out);
        }
    }

    @Override
    public void heartbeat(long t, List<RawMessage> out) {
        if (++seconds % Bitfinex.HEARTBEAT_SECONDS == 0) {
            session.heartbeats().forEach(p -> out.add(message("", t, p)));
        }
    }

    /** A new connection: channel ids distinct per connection, as on the live simulator. */
    private void connect(long t, List<RawMessage> out) {
        session =
                new BitfinexFeedSession(
                        m -> books.containsKey(m) ? SimBooks.of(books.get(m)) : null,
                        1000L * ++connections + 1);
        out.add(ConnectionEvent.CONNECTED.toRawMessage(Bitfinex.NAME, t, "simulated"));
        out.add(message("", t, session.onOpen()));
        session.onText(Bitfinex.conf(), t).forEach(p -> out.add(message("", t, p)));
        for (String m : books.keySet()) {
            subscribe(m, t, out);
        }
    }

    private void subscribe(String market, long t, List<RawMessage> out) {
        session.onText(Bitfinex.subscribe(market, settings.depth()), t)
                .forEach(p -> out.add(message(market, t, p)));
    }

    private static RawMessage message(String market, long t, String payload) {
        return RawMessage.wsMessage(Bitfinex.NAME, market, t, payload);
    }
}
