package io.depthflow.sources.venue.bitstamp;

import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.venue.ScriptedSession;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Bitstamp's scripted session: whole books, and the faults its feed can show. */
class BitstampScriptedFeedTest {

    private static List<RawMessage> script(StreamFault fault) {
        return ScriptedSession.script("bitstamp", 60, fault, 20);
    }

    @Test
    void shouldSendEveryMarketsWholeTop100BookInEveryMessage() throws Exception {
        ScriptedSession s = ScriptedSession.read("bitstamp", 0, script(null));

        assertThat(s.snapshots).isEqualTo(2 * 61); // every book message replaces the book
        assertThat(s.updates).isZero();
        assertThat(s.subscribed).isEqualTo(2);
        assertThat(s.heartbeats).isEqualTo(6 / BitstampScriptedFeed.PING_SECONDS); // 6 s
        s.books
                .values()
                .forEach(
                        b -> {
                            assertThat(b.bids).hasSize(BitstampVenue.STREAM_LEVELS);
                            assertThat(b.asks).hasSize(BitstampVenue.STREAM_LEVELS);
                        });
    }

    @Test
    void shouldLoseOneWholeBookUnnoticedAfterADroppedMessage() throws Exception {
        List<RawMessage> clean = script(null);
        List<RawMessage> dropped = script(StreamFault.DROP_MESSAGE);

        assertThat(dropped).hasSize(clean.size() - 1);
        List<RawMessage> missing = new ArrayList<>(clean);
        missing.removeAll(dropped);
        assertThat(missing).hasSize(1);
        assertThat(missing.get(0).payload).contains("\"event\":\"data\"");
        // the next whole book heals it: both sessions end with the same books
        ScriptedSession a = ScriptedSession.read("bitstamp", 0, clean);
        ScriptedSession b = ScriptedSession.read("bitstamp", 0, dropped);
        assertThat(b.snapshots).isEqualTo(a.snapshots - 1);
        b.books.forEach((m, book) -> assertThat(book.bids).isEqualTo(a.books.get(m).bids));
    }

    @Test
    void shouldReconnectWhenBitstampRequestsIt() throws Exception {
        ScriptedSession s =
                ScriptedSession.read("bitstamp", 0, script(StreamFault.REQUEST_RECONNECT));

        assertThat(s.reconnectRequests).isEqualTo(1);
        assertThat(s.connections).isEqualTo(2);
        assertThat(s.subscribed).isEqualTo(4);
    }
}
