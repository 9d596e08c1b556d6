package io.depthflow.sources.venue;

import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.StreamScript;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every registered venue has a scripted feed ({@code StreamDialect.script}), and a client that
 * knows only the venue's {@link StreamProtocol} reads its session: every message decodes, is filed
 * under the market it concerns, rebuilds books that never cross, and passes the venue's own
 * integrity check (contiguous sequence numbers, every checksum equal to the one computed over the
 * rebuilt book). That a session opens as the stream simulator's live feed of the venue opens is
 * {@code ScriptedFeedsLiveTest} (module {@code simulator}, which has the servers).
 */
class ScriptedFeedsTest {

    static List<String> venues() {
        return Venues.names();
    }

    /** Levels per side the client keeps: the venue's book depth, the script's depth from an ack. */
    static int clientDepth(String venue) {
        StreamProtocol p = Venues.get(venue).stream();
        if (p.bookDepth() == StreamProtocol.DEPTH_UNLIMITED) {
            return 0;
        }
        return p.bookDepth() == StreamProtocol.DEPTH_FROM_ACK ? p.defaultDepth() : p.bookDepth();
    }

    static List<RawMessage> script(String venue, int updates) {
        return StreamScript.builder()
                .seed(11)
                .exchanges(List.of(venue))
                .updates(updates)
                .build()
                .messages();
    }

    @ParameterizedTest
    @MethodSource("venues")
    void shouldScriptASessionTheVenuesOwnDecoderReadsAndVerifies(String venue) throws Exception {
        StreamProtocol protocol = Venues.get(venue).stream();
        ScriptedSession s = ScriptedSession.read(venue, clientDepth(venue), script(venue, 400));

        assertThat(s.connections).isEqualTo(1);
        assertThat(s.books).containsOnlyKeys("BTC/USD", "ETH/USD");
        assertThat(s.snapshots + s.updates).isGreaterThanOrEqualTo(400);
        assertThat(s.crossed).isZero();
        assertThat(s.heartbeats).isPositive(); // 40 s of script time
        assertThat(s.gaps).isZero();
        assertThat(s.checksumsFailed).isZero();
        if (protocol.integrity().hasSequence()) {
            assertThat(s.sequenced).isGreaterThan(400);
        }
        if (protocol.integrity().hasChecksum()) {
            assertThat(s.checksumsVerified).isGreaterThan(100);
        }
        for (TreeBook book : s.books.values()) {
            assertThat(book.bids).hasSizeGreaterThan(5);
            assertThat(book.asks).hasSizeGreaterThan(5);
        }
    }

    @ParameterizedTest
    @MethodSource("venues")
    void shouldGiveTheSameSessionForTheSameSeed(String venue) {
        assertThat(script(venue, 50)).isEqualTo(script(venue, 50)).isNotEmpty();
    }
}
