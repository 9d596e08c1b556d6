package io.depthflow.sources.venue.coinbase;

import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.MarketBook;
import io.depthflow.sources.simulator.ScriptSettings;
import io.depthflow.sources.simulator.ScriptedFeed;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.ws.ConnectionEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * Coinbase's side of a {@code StreamScript}: one connection, its {@code subscriptions} message and
 * one {@code level2} snapshot per market ({@link ScriptSettings#levels()} per side); each round, an
 * update per market, every message with the connection's next {@code sequence_num}. {@link
 * StreamFault#DROP_MESSAGE}: the round's first update is never delivered (its sequence number is
 * skipped); the next message, a heartbeat, shows the gap and the client reconnects: a {@code
 * connected} event, {@code subscriptions} (sequence 0) and fresh snapshots follow.
 */
final class CoinbaseScriptedFeed implements ScriptedFeed {

    private final ScriptSettings settings;
    private final List<MarketBook> books = new ArrayList<>();
    private CoinbaseFeedConnection wire = new CoinbaseFeedConnection();

    CoinbaseScriptedFeed(ScriptSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(long t, List<RawMessage> out) {
        connect(t, out);
    }

    @Override
    public void round(long t, StreamFault fault, List<RawMessage> out) {
        boolean drop = fault == StreamFault.DROP_MESSAGE;
        boolean reconnect = false;
        for (int i = 0; i < books.size(); i++) {
            String m = settings.markets().get(i);
            books.get(i).step(settings.random(), 1 + settings.random().nextInt(4));
            if (drop) {
                drop = false;
                wire.skip();
                reconnect = true;
            } else {
                out.add(
                        RawMessage.wsMessage(
                                CoinbaseVenue.NAME, m, t, wire.update(m, books.get(i), t)));
            }
        }
        if (reconnect) {
            // The client sees the gap on the next message (a heartbeat here) and reconnects.
            out.add(RawMessage.wsMessage(CoinbaseVenue.NAME, "", t, wire.heartbeat(t)));
            wire = new CoinbaseFeedConnection();
            connect(t, out);
        }
    }

    @Override
    public void heartbeat(long t, List<RawMessage> out) {
        out.add(RawMessage.wsMessage(CoinbaseVenue.NAME, "", t, wire.heartbeat(t)));
    }

    /** A connection's start; the books are created on the first and kept on a reconnection. */
    private void connect(long t, List<RawMessage> out) {
        boolean existingBooks = !books.isEmpty();
        out.add(ConnectionEvent.CONNECTED.toRawMessage(CoinbaseVenue.NAME, t, "simulated"));
        out.add(
                RawMessage.wsMessage(
                        CoinbaseVenue.NAME,
                        "",
                        t,
                        wire.subscriptions(settings.markets(), true, t)));
        for (int i = 0; i < settings.markets().size(); i++) {
            String m = settings.markets().get(i);
            if (!existingBooks) {
                books.add(CoinbaseStreamDialect.book(m, settings.random(), settings.levels()));
            }
            out.add(
                    RawMessage.wsMessage(
                            CoinbaseVenue.NAME, m, t, wire.snapshot(m, books.get(i), t)));
        }
    }
}
