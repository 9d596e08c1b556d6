package io.depthflow.sources.venue.gemini;

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
 * Gemini's side of a {@code StreamScript}, written by the simulator's own {@link
 * GeminiFeedSession}: one connection, one {@code l2} subscription for every market, answered (no
 * ack, as on the live feed) by each market's whole book as its first {@code l2_updates}; each
 * round, an {@code l2_updates} per market with the new totals of the levels that changed; a {@code
 * heartbeat} every {@value Gemini#HEARTBEAT_SECONDS} s. {@link StreamFault#DROP_MESSAGE}: the
 * round's first update is never delivered; the feed has no sequence and no checksum, so nothing
 * shows it and no client recovers (the book stays wrong until the next subscription; see this
 * package's README). Other faults do not exist on this feed and are ignored.
 */
final class GeminiScriptedFeed implements ScriptedFeed {

    private final ScriptSettings settings;
    private final Map<String, MarketBook> books = new LinkedHashMap<>();
    private final GeminiFeedSession session =
            new GeminiFeedSession(m -> books.containsKey(m) ? SimBooks.of(books.get(m)) : null);
    private long seconds;

    GeminiScriptedFeed(ScriptSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(long t, List<RawMessage> out) {
        for (String m : settings.markets()) {
            books.put(m, MarketBook.standard(m, settings.random(), settings.levels()));
        }
        out.add(ConnectionEvent.CONNECTED.toRawMessage(Gemini.NAME, t, "simulated"));
        // One whole book per symbol, in the order of the subscription.
        List<String> books = session.onText(Gemini.subscribe(settings.markets()));
        for (int i = 0; i < books.size(); i++) {
            out.add(message(settings.markets().get(i), t, books.get(i)));
        }
    }

    @Override
    public void round(long t, StreamFault fault, List<RawMessage> out) {
        boolean drop = fault == StreamFault.DROP_MESSAGE;
        for (Map.Entry<String, MarketBook> e : books.entrySet()) {
            e.getValue().step(settings.random(), 1 + settings.random().nextInt(4));
            if (e.getValue().changeCount == 0) {
                continue;
            }
            if (drop) {
                drop = false;
                session.dropNextUpdate(e.getKey());
            }
            String update = session.onStep(e.getKey());
            if (update != null) {
                out.add(message(e.getKey(), t, update));
            }
        }
    }

    @Override
    public void heartbeat(long t, List<RawMessage> out) {
        if (++seconds % Gemini.HEARTBEAT_SECONDS == 0) {
            out.add(message("", t, session.heartbeat(t)));
        }
    }

    private static RawMessage message(String market, long t, String payload) {
        return RawMessage.wsMessage(Gemini.NAME, market, t, payload);
    }
}
