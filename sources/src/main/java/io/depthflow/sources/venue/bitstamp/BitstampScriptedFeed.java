package io.depthflow.sources.venue.bitstamp;

import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.MarketBook;
import io.depthflow.sources.simulator.ScriptSettings;
import io.depthflow.sources.simulator.ScriptedFeed;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.ws.ConnectionEvent;

import java.util.ArrayList;
import java.util.List;

/**
 * Bitstamp's side of a {@code StreamScript}: one connection, per market its {@code
 * bts:subscription_succeeded} and the whole book ({@code order_book_<pair>}, top {@link
 * BitstampVenue#STREAM_LEVELS} per side); each round, every market's whole book again. The
 * heartbeat is Bitstamp's answer to the client's {@code bts:heartbeat}, every {@value
 * #PING_SECONDS} s. Faults: {@link StreamFault#DROP_MESSAGE}: the round's first book message is
 * never delivered (nothing shows it, and the next message is a whole book again); {@link
 * StreamFault#REQUEST_RECONNECT}: {@code bts:request_reconnect}, then the client's new connection
 * (a {@code connected} event, acks and books); {@link StreamFault#CORRUPT_CHECKSUM} does not exist
 * on this feed and is ignored.
 */
final class BitstampScriptedFeed implements ScriptedFeed {

    /** How often the scripted client sends {@code bts:heartbeat}. */
    static final int PING_SECONDS = 10;

    private final ScriptSettings settings;
    private final List<MarketBook> books = new ArrayList<>();
    private long seconds;

    BitstampScriptedFeed(ScriptSettings settings) {
        this.settings = settings;
    }

    @Override
    public void open(long t, List<RawMessage> out) {
        for (String m : settings.markets()) {
            books.add(BitstampStreamDialect.book(m, settings.random(), settings.levels()));
        }
        connect(t, out);
    }

    @Override
    public void round(long t, StreamFault fault, List<RawMessage> out) {
        boolean drop = fault == StreamFault.DROP_MESSAGE;
        for (int i = 0; i < books.size(); i++) {
            String m = settings.markets().get(i);
            books.get(i).step(settings.random(), 1 + settings.random().nextInt(4));
            if (drop) {
                drop = false;
                continue;
            }
            out.add(message(m, t, BitstampStreamDialect.bookMessage(m, books.get(i), t)));
        }
        if (fault == StreamFault.REQUEST_RECONNECT) {
            out.add(message("", t, BitstampStreamDialect.REQUEST_RECONNECT));
            connect(t, out);
        }
    }

    @Override
    public void heartbeat(long t, List<RawMessage> out) {
        if (++seconds % PING_SECONDS == 0) {
            out.add(message("", t, BitstampStreamDialect.HEARTBEAT_REPLY));
        }
    }

    private void connect(long t, List<RawMessage> out) {
        out.add(ConnectionEvent.CONNECTED.toRawMessage(BitstampVenue.NAME, t, "simulated"));
        for (int i = 0; i < books.size(); i++) {
            String m = settings.markets().get(i);
            out.add(message(m, t, BitstampStreamDialect.ack("subscription_succeeded", m)));
            out.add(message(m, t, BitstampStreamDialect.bookMessage(m, books.get(i), t)));
        }
    }

    private static RawMessage message(String market, long t, String payload) {
        return RawMessage.wsMessage(BitstampVenue.NAME, market, t, payload);
    }
}
