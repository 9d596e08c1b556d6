package io.depthflow.sources.venue.bitfinex;

import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.venue.ScriptedSession;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Bitfinex's scripted faults, read back through its own protocol ({@link ScriptedSession}). */
class BitfinexScriptedFeedTest {

    private static List<RawMessage> script(StreamFault fault) {
        return ScriptedSession.script("bitfinex", 80, fault, 30);
    }

    @Test
    void shouldFailOneChecksumAndResubscribeThatBookWithAFreshSnapshot() throws Exception {
        ScriptedSession clean = ScriptedSession.read("bitfinex", 250, script(null));
        ScriptedSession s =
                ScriptedSession.read("bitfinex", 250, script(StreamFault.CORRUPT_CHECKSUM));

        assertThat(s.checksumsFailed).isEqualTo(1);
        assertThat(s.gaps).isZero();
        assertThat(s.connections).isEqualTo(1);
        assertThat(s.subscribed).isEqualTo(clean.subscribed + 1).isEqualTo(3);
        assertThat(s.snapshots).isEqualTo(clean.snapshots + 1).isEqualTo(3);
        // the resubscribed book verifies again, and ends as the clean session's
        assertThat(s.checksumsVerified).isGreaterThan(clean.checksumsVerified / 2);
        assertThat(s.books.keySet()).isEqualTo(clean.books.keySet());
        s.books.forEach(
                (m, book) -> {
                    assertThat(book.bids).isEqualTo(clean.books.get(m).bids);
                    assertThat(book.asks).isEqualTo(clean.books.get(m).asks);
                });
    }

    @Test
    void shouldLeaveOneSequenceGapAfterADroppedMessageAndReconnect() throws Exception {
        ScriptedSession s = ScriptedSession.read("bitfinex", 250, script(StreamFault.DROP_MESSAGE));

        assertThat(s.gaps).isEqualTo(1);
        assertThat(s.connections).isEqualTo(2);
        assertThat(s.snapshots).isEqualTo(4); // two markets, two connections
        assertThat(s.checksumsFailed).isZero();
        assertThat(s.crossed).isZero();
        assertThat(s.books).containsOnlyKeys("BTC/USD", "ETH/USD");
    }
}
