package io.depthflow.sources.venue;

import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.StreamScript;
import io.depthflow.sources.simulator.StreamSimulator;
import io.depthflow.sources.ws.FeedConnection;
import io.depthflow.sources.ws.FeedSettings;
import io.depthflow.sources.ws.StreamMessage;
import io.depthflow.sources.ws.StreamMessage.Type;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every registered venue has a scripted feed ({@code StreamDialect.script}), and a client that
 * knows only the venue's {@link StreamProtocol} reads its session: every message decodes, is filed
 * under the market it concerns, rebuilds books that never cross, and passes the venue's own
 * integrity check (contiguous sequence numbers, every checksum equal to the one computed over the
 * rebuilt book); and it opens as the stream simulator's live feed of the venue opens, read over a
 * real socket by the shared client.
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

    @ParameterizedTest
    @MethodSource("venues")
    void shouldOpenAsTheSimulatorsLiveFeedOfTheVenueOpens(String venue) throws Exception {
        List<String> scripted = opening(venue, new LinkedBlockingQueue<>(script(venue, 0)));

        LinkedBlockingQueue<RawMessage> received = new LinkedBlockingQueue<>();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        List<String> live;
        try (StreamSimulator sim = StreamSimulator.builder().seed(5).messagesPerSecond(5).start();
                FeedConnection feed =
                        new FeedConnection(
                                FeedSettings.of(
                                        venue, sim.url(venue), List.of("BTC/USD", "ETH/USD")),
                                SourceClock.system(),
                                HttpClient.newHttpClient(),
                                timer,
                                null,
                                received::put)) {
            feed.start();
            live = opening(venue, received);
        } finally {
            timer.shutdownNow();
        }
        assertThat(scripted).isEqualTo(live).hasSizeGreaterThanOrEqualTo(2);
    }

    /**
     * What a session says before both books are known, as (type, market it is filed under), book
     * updates, heartbeats and pongs left out; waits up to 30 s for the two snapshots.
     */
    private static List<String> opening(String venue, LinkedBlockingQueue<RawMessage> messages)
            throws Exception {
        StreamDecoder decoder = Venues.get(venue).stream().newDecoder();
        StreamMessage m = new StreamMessage();
        List<String> opening = new ArrayList<>();
        int snapshots = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (snapshots < 2) {
            RawMessage raw =
                    messages.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            assertThat(raw).as("two snapshots within 30 s, after " + opening).isNotNull();
            if (RawMessage.KIND_WS_EVENT.equals(raw.kind)) {
                continue;
            }
            m.reset();
            decoder.decode(raw.payload, null, m);
            if (m.type == Type.BOOK_UPDATE || m.type == Type.HEARTBEAT || m.type == Type.PONG) {
                continue;
            }
            snapshots += m.type == Type.BOOK_SNAPSHOT ? 1 : 0;
            opening.add(m.type + "@" + raw.market);
        }
        return opening;
    }
}
