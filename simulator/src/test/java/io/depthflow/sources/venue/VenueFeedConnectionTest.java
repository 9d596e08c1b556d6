package io.depthflow.sources.venue;

import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.simulator.StreamSimulator;
import io.depthflow.sources.venue.bitfinex.BitfinexChecksum;
import io.depthflow.sources.ws.BookVerifier;
import io.depthflow.sources.ws.FeedConnection;
import io.depthflow.sources.ws.FeedSettings;
import io.depthflow.sources.ws.StreamMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Gemini and Bitfinex end to end over real sockets: the shared supervised client ({@link
 * FeedConnection}, JDK WebSocket) against the stream simulator's dialects of both venues, with the
 * recovery from each fault their protocols can show.
 */
class VenueFeedConnectionTest {

    private static final List<String> MARKETS = List.of("BTC/USD", "ETH/USD");

    private StreamSimulator sim;
    private ScheduledExecutorService timer;
    private HttpClient http;
    private final List<FeedConnection> connections = new ArrayList<>();
    private final LinkedBlockingQueue<RawMessage> received = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        sim = StreamSimulator.builder().seed(5).messagesPerSecond(40).start();
        timer = Executors.newSingleThreadScheduledExecutor();
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() {
        connections.forEach(FeedConnection::close);
        timer.shutdownNow();
        sim.close();
    }

    @Test
    void shouldStreamBitfinexBooksWithEveryChecksumVerified() throws Exception {
        ChecksumVerifier verifier = new ChecksumVerifier();
        FeedConnection c = connect("bitfinex", verifier);
        awaitSnapshots("bitfinex");
        await(() -> verifier.verified >= 20);
        assertThat(verifier.failed).isZero();
        assertThat(c.sequenceGaps()).isZero();
        assertThat(c.resubscriptions()).isZero();
    }

    @Test
    void shouldResubscribeABitfinexBookWhoseChecksumIsCorrupted() throws Exception {
        ChecksumVerifier verifier = new ChecksumVerifier();
        FeedConnection c = connect("bitfinex", verifier);
        awaitSnapshots("bitfinex");
        sim.injectFault("bitfinex", StreamFault.CORRUPT_CHECKSUM);
        await(() -> c.resubscriptions() == 1);
        // Unsubscribed, subscribed again: a new snapshot of that market, then checksums that match.
        RawMessage unsubscribed =
                awaitMessage(m -> m.payload.contains("\"event\":\"unsubscribed\""));
        assertThat(unsubscribed.market).isIn(MARKETS);
        awaitMessage(
                m ->
                        m.payload.contains("\"event\":\"subscribed\"")
                                && m.market.equals(unsubscribed.market));
        awaitMessage(m -> m.market.equals(unsubscribed.market) && m.payload.contains(",[["));
        int before = verifier.verified;
        await(() -> verifier.verified > before + 10);
        assertThat(verifier.failed).isEqualTo(1);
        assertThat(c.sequenceGaps()).isZero();
        assertThat(c.connects()).isEqualTo(1);
    }

    @Test
    void shouldReconnectBitfinexOnASequenceGap() throws Exception {
        FeedConnection c = connect("bitfinex", new ChecksumVerifier());
        awaitSnapshots("bitfinex");
        sim.injectFault("bitfinex", StreamFault.DROP_MESSAGE);
        await(() -> c.sequenceGaps() == 1);
        await(() -> c.connects() == 2);
        awaitSnapshots("bitfinex");
    }

    @Test
    void shouldStreamGeminiBooksAndStartOverAfterADisconnect() throws Exception {
        FeedConnection c = connect("gemini", null);
        awaitSnapshots("gemini");
        awaitMessage(
                m -> "gemini".equals(m.exchange) && m.payload.contains("\"type\":\"heartbeat\""));
        awaitMessage(
                m ->
                        "gemini".equals(m.exchange)
                                && m.payload.startsWith("{\"type\":\"l2_updates\"")
                                && !m.payload.contains("\"trades\""));
        sim.injectFault("gemini", StreamFault.DISCONNECT);
        await(() -> c.connects() == 2);
        awaitSnapshots("gemini");
    }

    private FeedConnection connect(String exchange, BookVerifier verifier) {
        FeedSettings settings =
                FeedSettings.of(exchange, sim.url(exchange), MARKETS)
                        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
                        .withStaleAfter(Duration.ofSeconds(8));
        FeedConnection c =
                new FeedConnection(
                        settings, SourceClock.system(), http, timer, verifier, received::put);
        connections.add(c);
        c.start();
        return c;
    }

    /** Waits for a book snapshot of each market. */
    private void awaitSnapshots(String exchange) throws InterruptedException {
        java.util.Set<String> markets = new java.util.HashSet<>();
        StreamMessage m = new StreamMessage();
        StreamDecoder decoder = Venues.get(exchange).stream().newDecoder();
        awaitMessage(
                raw -> {
                    if (exchange.equals(raw.exchange)
                            && RawMessage.KIND_WS.equals(raw.kind)
                            && !raw.market.isEmpty()) {
                        try {
                            decoder.decode(raw.payload, raw.market, m);
                        } catch (BookParseException e) {
                            throw new AssertionError(e);
                        }
                        if (m.type == StreamMessage.Type.BOOK_SNAPSHOT) {
                            markets.add(raw.market);
                        }
                    }
                    return markets.containsAll(MARKETS);
                });
    }

    private RawMessage awaitMessage(Predicate<RawMessage> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            RawMessage m = received.poll(100, TimeUnit.MILLISECONDS);
            if (m != null && condition.test(m)) {
                return m;
            }
        }
        throw new AssertionError("no matching message within 20 s");
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 20 s");
            }
            Thread.sleep(20);
        }
    }

    /** A client-side book per market and Bitfinex's checksum: the connection's integrity check. */
    private static final class ChecksumVerifier implements BookVerifier {
        private final Map<String, TreeBook> books = new HashMap<>();
        private final Map<String, Integer> depths = new HashMap<>();
        private final BitfinexChecksum checksum = new BitfinexChecksum();
        volatile int verified;
        volatile int failed;

        @Override
        public boolean onBookMessage(String market, StreamMessage message) {
            if (message.type == StreamMessage.Type.BOOK_SNAPSHOT) {
                books.put(market, new TreeBook(depths.getOrDefault(market, 250)));
            }
            TreeBook book = books.get(market);
            if (book == null) {
                return true; // dropped after a failure: waits for the new snapshot
            }
            book.apply(message);
            if (!message.hasChecksum()) {
                return true;
            }
            if (checksum.compute(book) == message.checksum) {
                verified++;
                return true;
            }
            failed++;
            books.remove(market);
            return false;
        }

        @Override
        public void onSubscribed(String market, int depth) {
            depths.put(market, depth);
        }

        @Override
        public void reset() {
            books.clear();
        }
    }
}
