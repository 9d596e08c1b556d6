package io.depthflow.sources.venue.kraken;

import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.MarketBook;
import io.depthflow.sources.simulator.ScriptSettings;
import io.depthflow.sources.simulator.ScriptedFeed;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.simulator.WireText;
import io.depthflow.sources.ws.ConnectionEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * Kraken's side of a {@code StreamScript}: one connection, its status message, then per market its
 * subscribe ack and snapshot (v2 {@code book}, the subscribed depth); each round, an update per
 * market whose subscribed view changed. {@link StreamFault#CORRUPT_CHECKSUM}: the round's first
 * update carries a wrong checksum, then the client unsubscribes and resubscribes that symbol
 * (unsubscribe ack, subscribe ack, a fresh snapshot).
 */
final class KrakenScriptedFeed implements ScriptedFeed {

    private final ScriptSettings settings;
    private final boolean numbersAsStrings;
    private final List<MarketBook> books = new ArrayList<>();
    private final List<KrakenBookView> views = new ArrayList<>();

    KrakenScriptedFeed(ScriptSettings settings) {
        this.settings = settings;
        this.numbersAsStrings =
                "true".equals(settings.option(KrakenStreamDialect.NUMBERS_AS_STRINGS));
    }

    @Override
    public void open(long t, List<RawMessage> out) {
        int depth = settings.depth();
        out.add(ConnectionEvent.CONNECTED.toRawMessage(KrakenVenue.NAME, t, "simulated"));
        out.add(RawMessage.wsMessage(KrakenVenue.NAME, "", t, KrakenFeedMessages.status(1)));
        for (String m : settings.markets()) {
            MarketBook book =
                    KrakenStreamDialect.book(m, settings.random(), Math.max(depth + 40, 60));
            KrakenBookView view = new KrakenBookView(m, book, depth, numbersAsStrings);
            books.add(book);
            views.add(view);
            out.add(
                    RawMessage.wsMessage(
                            KrakenVenue.NAME,
                            m,
                            t,
                            KrakenFeedMessages.ack("subscribe", m, depth, t, null)));
            out.add(
                    RawMessage.wsMessage(
                            KrakenVenue.NAME, m, t, view.snapshot(WireText.micros(t))));
        }
    }

    @Override
    public void round(long t, StreamFault fault, List<RawMessage> out) {
        boolean corrupt = fault == StreamFault.CORRUPT_CHECKSUM;
        for (int i = 0; i < books.size(); i++) {
            String m = settings.markets().get(i);
            books.get(i).step(settings.random(), 1 + settings.random().nextInt(4));
            String update = views.get(i).update(WireText.micros(t));
            if (update == null) {
                continue;
            }
            if (corrupt) {
                corrupt = false;
                int depth = settings.depth();
                out.add(
                        RawMessage.wsMessage(
                                KrakenVenue.NAME,
                                m,
                                t,
                                KrakenFeedMessages.withWrongChecksum(update)));
                out.add(
                        RawMessage.wsMessage(
                                KrakenVenue.NAME,
                                m,
                                t,
                                KrakenFeedMessages.ack("unsubscribe", m, depth, t, null)));
                out.add(
                        RawMessage.wsMessage(
                                KrakenVenue.NAME,
                                m,
                                t,
                                KrakenFeedMessages.ack("subscribe", m, depth, t, null)));
                out.add(
                        RawMessage.wsMessage(
                                KrakenVenue.NAME, m, t, views.get(i).snapshot(WireText.micros(t))));
            } else {
                out.add(RawMessage.wsMessage(KrakenVenue.NAME, m, t, update));
            }
        }
    }

    @Override
    public void heartbeat(long t, List<RawMessage> out) {
        out.add(RawMessage.wsMessage(KrakenVenue.NAME, "", t, KrakenFeedMessages.heartbeat()));
    }
}
