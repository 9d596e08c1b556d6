package io.depthflow.sources.venue;

import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.model.RawMessage;
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
 * Every registered venue's scripted session ({@code ScriptedFeedsTest}) opens as the stream
 * simulator's live feed of the venue opens, read over a real socket by the shared client.
 */
class ScriptedFeedsLiveTest {

    static List<String> venues() {
        return ScriptedFeedsTest.venues();
    }

    @ParameterizedTest
    @MethodSource("venues")
    void shouldOpenAsTheSimulatorsLiveFeedOfTheVenueOpens(String venue) throws Exception {
        List<String> scripted =
                opening(venue, new LinkedBlockingQueue<>(ScriptedFeedsTest.script(venue, 0)));

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
