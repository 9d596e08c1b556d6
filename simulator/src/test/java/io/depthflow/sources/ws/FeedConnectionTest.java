package io.depthflow.sources.ws;

import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.simulator.StreamSimulator;
import io.depthflow.sources.venue.coinbase.CoinbaseSequence;
import io.depthflow.sources.ws.StreamMessage.Type;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The supervised WebSocket client against the simulator's feeds over real sockets: subscriptions,
 * snapshots and updates on both exchanges, and the recovery from each injected fault.
 */
class FeedConnectionTest {

    private StreamSimulator sim;
    private ScheduledExecutorService timer;
    private HttpClient http;
    private final List<FeedConnection> connections = new ArrayList<>();
    private final LinkedBlockingQueue<RawMessage> received = new LinkedBlockingQueue<>();
    private final List<RawMessage> seen = new ArrayList<>();
    private final StreamParsers parsers = new StreamParsers();

    @BeforeEach
    void start() throws Exception {
        sim =
                StreamSimulator.builder()
                        .seed(9)
                        .messagesPerSecond(50)
                        .staleFor(Duration.ofSeconds(2))
                        .start();
        timer = Executors.newSingleThreadScheduledExecutor();
        http = HttpClient.newHttpClient();
    }

    @AfterEach
    void stop() {
        connections.forEach(FeedConnection::close);
        timer.shutdownNow();
        sim.close();
    }

    /**
     * A supervised connection whose stale limit (5 s) no healthy feed reaches, even on a loaded
     * machine: a stale restart in the middle of another test's fault would replace the very
     * connection the fault is aimed at.
     */
    private FeedConnection connect(String exchange, BookVerifier verifier) {
        return connect(exchange, verifier, Duration.ofSeconds(5));
    }

    private FeedConnection connect(StreamSimulator server, String exchange, Duration staleAfter) {
        FeedSettings settings =
                FeedSettings.of(exchange, server.url(exchange), List.of("BTC/USD", "ETH/USD"))
                        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
                        .withStaleAfter(staleAfter);
        FeedConnection c =
                new FeedConnection(
                        settings, SourceClock.system(), http, timer, null, received::put);
        connections.add(c);
        c.start();
        return c;
    }

    private FeedConnection connect(String exchange, BookVerifier verifier, Duration staleAfter) {
        FeedSettings settings =
                FeedSettings.of(exchange, sim.url(exchange), List.of("BTC/USD", "ETH/USD"))
                        .withBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
                        .withStaleAfter(staleAfter);
        FeedConnection c =
                new FeedConnection(
                        settings, SourceClock.system(), http, timer, verifier, received::put);
        connections.add(c);
        c.start();
        return c;
    }

    /** Waits until a received message satisfies {@code condition}; returns it. */
    private RawMessage await(Predicate<RawMessage> condition) throws InterruptedException {
        return await(condition, Duration.ofSeconds(15));
    }

    private RawMessage await(Predicate<RawMessage> condition, Duration within)
            throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            RawMessage m = received.poll(100, TimeUnit.MILLISECONDS);
            if (m != null) {
                seen.add(m);
                if (condition.test(m)) {
                    return m;
                }
            }
        }
        throw new AssertionError(
                "no matching message within "
                        + within
                        + "; saw "
                        + seen.size()
                        + " messages, connection events "
                        + seen.stream()
                                .filter(m -> RawMessage.KIND_WS_EVENT.equals(m.kind))
                                .map(m -> m.payload)
                                .toList());
    }

    /**
     * Waits until {@code condition} has held for a message of Kraken and one of Coinbase, in any
     * order.
     */
    private void awaitBoth(Predicate<RawMessage> condition) throws InterruptedException {
        java.util.Set<String> exchanges = new java.util.HashSet<>();
        await(
                m -> {
                    if (condition.test(m)) {
                        exchanges.add(m.exchange);
                    }
                    return exchanges.containsAll(java.util.List.of("kraken", "coinbase"));
                });
    }

    private Type type(RawMessage m) {
        StreamMessage parsed = new StreamMessage();
        try {
            parsers.parse(m.exchange, m.payload, null, parsed);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return parsed.type;
    }

    private static Predicate<RawMessage> event(ConnectionEvent e) {
        return m -> RawMessage.KIND_WS_EVENT.equals(m.kind) && ConnectionEvent.of(m.payload) == e;
    }

    @Test
    void shouldSubscribeBothFeedsAndReceiveSnapshotsThenContiguousUpdates() throws Exception {
        connect("kraken", null);
        connect("coinbase", null);
        AtomicInteger krakenUpdates = new AtomicInteger();
        AtomicInteger coinbaseUpdates = new AtomicInteger();
        await(
                m -> {
                    if (RawMessage.KIND_WS.equals(m.kind) && type(m) == Type.BOOK_UPDATE) {
                        (m.exchange.equals("kraken") ? krakenUpdates : coinbaseUpdates)
                                .incrementAndGet();
                    }
                    return krakenUpdates.get() >= 40 && coinbaseUpdates.get() >= 40;
                });
        assertThat(seen)
                .filteredOn(m -> m.kind.equals(RawMessage.KIND_WS) && type(m) == Type.BOOK_SNAPSHOT)
                .extracting(m -> m.exchange + " " + m.market)
                .containsExactlyInAnyOrder(
                        "kraken BTC/USD", "kraken ETH/USD", "coinbase BTC/USD", "coinbase ETH/USD");
        assertThat(seen)
                .filteredOn(
                        m ->
                                m.exchange.equals("kraken")
                                        && m.kind.equals(RawMessage.KIND_WS)
                                        && type(m) == Type.SUBSCRIBED)
                .hasSize(2);
        CoinbaseSequence sequence = new CoinbaseSequence();
        StreamMessage parsed = new StreamMessage();
        for (RawMessage m : seen) {
            if (m.exchange.equals("coinbase") && m.kind.equals(RawMessage.KIND_WS)) {
                parsers.parse(m.exchange, m.payload, null, parsed);
                assertThat(sequence.accept(parsed.sequence))
                        .isNotEqualTo(CoinbaseSequence.Verdict.GAP);
            }
        }
        assertThat(seen.get(0).kind).isEqualTo(RawMessage.KIND_WS_EVENT);
    }

    @Test
    void shouldReconnectAfterADroppedCoinbaseMessageShowsAGap() throws Exception {
        FeedConnection c = connect("coinbase", null);
        await(m -> RawMessage.KIND_WS.equals(m.kind) && type(m) == Type.BOOK_UPDATE);
        sim.injectFault("coinbase", StreamFault.DROP_MESSAGE);
        await(event(ConnectionEvent.CONNECTED));
        await(m -> RawMessage.KIND_WS.equals(m.kind) && type(m) == Type.BOOK_SNAPSHOT);
        assertThat(c.sequenceGaps()).isEqualTo(1);
        assertThat(c.connects()).isEqualTo(2);
        assertThat(c.disconnects()).isZero();
    }

    @Test
    void shouldRecordADisconnectAndReconnectWithFreshSnapshots() throws Exception {
        FeedConnection c = connect("kraken", null);
        // The simulator drops the connection with a TCP reset, which the JDK's client always
        // reports; a bare FIN it misses now and then, and only a failed write or the stale limit
        // ends such a connection (the stale path is the next test's; this one is the disconnect's).
        await(m -> RawMessage.KIND_WS.equals(m.kind) && type(m) == Type.BOOK_UPDATE);
        assertThat(sim.connectionsOpened("kraken"))
                .as("the connection the fault closes")
                .isEqualTo(1);
        sim.injectFault("kraken", StreamFault.DISCONNECT);
        RawMessage lost = await(event(ConnectionEvent.DISCONNECTED));
        assertThat(lost.market).isEmpty();
        await(event(ConnectionEvent.CONNECTED));
        await(m -> RawMessage.KIND_WS.equals(m.kind) && type(m) == Type.BOOK_SNAPSHOT);
        assertThat(c.disconnects()).isEqualTo(1);
        assertThat(sim.connectionsOpened("kraken")).isEqualTo(2);
    }

    @Test
    void shouldDeclareASilentFeedStaleAndReconnect() throws Exception {
        FeedConnection c = connect("coinbase", null, Duration.ofMillis(700));
        await(m -> RawMessage.KIND_WS.equals(m.kind) && type(m) == Type.BOOK_SNAPSHOT);
        sim.injectFault("coinbase", StreamFault.STALE);
        RawMessage stale = await(event(ConnectionEvent.STALE));
        assertThat(stale.payload).contains("no message for");
        await(event(ConnectionEvent.CONNECTED));
        assertThat(c.staleFeeds()).isGreaterThanOrEqualTo(1);
    }

    /**
     * The stale fault with the simulator's default silence, against a client whose limit is above
     * the old default silence (10 s, exactly run's default --stale-after, so that a stale feed was
     * never seen as one): it must be declared stale.
     */
    @Test
    void shouldKeepTheDefaultStaleFaultSilentLongerThanTheClientsLimit() throws Exception {
        try (StreamSimulator defaults =
                StreamSimulator.builder().seed(10).messagesPerSecond(50).start()) {
            FeedConnection c = connect(defaults, "kraken", Duration.ofSeconds(11));
            await(m -> RawMessage.KIND_WS.equals(m.kind) && type(m) == Type.BOOK_UPDATE);
            defaults.injectFault("kraken", StreamFault.STALE);
            await(event(ConnectionEvent.STALE), Duration.ofSeconds(30));
            await(event(ConnectionEvent.CONNECTED));
            assertThat(c.staleFeeds()).isEqualTo(1);
        }
    }

    /** Longer than the limit: stale on both exchanges, reconnected, and Coinbase shows no gap. */
    @Test
    void shouldDeclareBothExchangesStaleWhenTheSilenceOutlastsTheLimit() throws Exception {
        try (StreamSimulator defaults =
                StreamSimulator.builder().seed(12).messagesPerSecond(50).start()) {
            FeedConnection kraken = connect(defaults, "kraken", Duration.ofMillis(800));
            FeedConnection coinbase = connect(defaults, "coinbase", Duration.ofMillis(800));
            awaitUpdates();
            defaults.injectFault("kraken", StreamFault.STALE);
            defaults.injectFault("coinbase", StreamFault.STALE);
            // Both feeds go stale together, in either order: each wait looks for both, since a
            // message a wait passes over is gone for the next one.
            awaitBoth(event(ConnectionEvent.STALE));
            awaitBoth(m -> RawMessage.KIND_WS.equals(m.kind) && type(m) == Type.BOOK_SNAPSHOT);
            assertThat(kraken.staleFeeds()).isEqualTo(1);
            assertThat(coinbase.staleFeeds()).isEqualTo(1);
            assertThat(coinbase.sequenceGaps()).isZero();
            assertThat(defaults.connectionsOpened("kraken")).isEqualTo(2);
            assertThat(defaults.connectionsOpened("coinbase")).isEqualTo(2);
        }
    }

    /**
     * Shorter than the limit: no stale feed on either exchange. Kraken resumes on the same
     * connection (its next update carries every change meanwhile); Coinbase's withheld messages
     * spent their sequence numbers, so it shows as a gap and reconnects.
     */
    @Test
    void shouldNotDeclareAFeedStaleWhenTheSilenceEndsWithinTheLimit() throws Exception {
        try (StreamSimulator brief =
                StreamSimulator.builder()
                        .seed(13)
                        .messagesPerSecond(50)
                        .staleFor(Duration.ofMillis(300))
                        .start()) {
            FeedConnection kraken = connect(brief, "kraken", Duration.ofSeconds(3));
            FeedConnection coinbase = connect(brief, "coinbase", Duration.ofSeconds(3));
            awaitUpdates();
            long injected = System.currentTimeMillis();
            brief.injectFault("kraken", StreamFault.STALE);
            brief.injectFault("coinbase", StreamFault.STALE);
            AtomicInteger resumed = new AtomicInteger();
            await(
                    m -> {
                        if (RawMessage.KIND_WS.equals(m.kind) && m.receivedAt > injected + 600) {
                            if (m.exchange.equals("kraken") && type(m) == Type.BOOK_UPDATE) {
                                resumed.accumulateAndGet(1, (a, b) -> a | b);
                            } else if (m.exchange.equals("coinbase")
                                    && type(m) == Type.BOOK_UPDATE
                                    && coinbase.sequenceGaps() == 1) {
                                resumed.accumulateAndGet(2, (a, b) -> a | b);
                            }
                        }
                        return resumed.get() == 3;
                    });
            assertThat(kraken.staleFeeds()).isZero();
            assertThat(kraken.connects()).isEqualTo(1);
            assertThat(coinbase.staleFeeds()).isZero();
            assertThat(coinbase.sequenceGaps()).isEqualTo(1);
            assertThat(seen).noneMatch(event(ConnectionEvent.STALE));
        }
    }

    private void awaitUpdates() throws InterruptedException {
        AtomicInteger kraken = new AtomicInteger();
        AtomicInteger coinbase = new AtomicInteger();
        await(
                m -> {
                    if (RawMessage.KIND_WS.equals(m.kind) && type(m) == Type.BOOK_UPDATE) {
                        (m.exchange.equals("kraken") ? kraken : coinbase).incrementAndGet();
                    }
                    return kraken.get() >= 5 && coinbase.get() >= 5;
                });
    }

    @Test
    void shouldResubscribeAKrakenMarketWhoseBookFailedItsCheck() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        BookVerifier failOnce =
                new BookVerifier() {
                    @Override
                    public boolean onBookMessage(String market, StreamMessage message) {
                        return !(market.equals("ETH/USD")
                                && message.type == Type.BOOK_UPDATE
                                && calls.incrementAndGet() == 3);
                    }

                    @Override
                    public void onSubscribed(String market, int depth) {}

                    @Override
                    public void reset() {}
                };
        FeedConnection c = connect("kraken", failOnce);
        await(
                m ->
                        m.market.equals("ETH/USD")
                                && RawMessage.KIND_WS.equals(m.kind)
                                && type(m) == Type.UNSUBSCRIBED);
        RawMessage ack =
                await(
                        m ->
                                m.market.equals("ETH/USD")
                                        && RawMessage.KIND_WS.equals(m.kind)
                                        && type(m) == Type.SUBSCRIBED);
        assertThat(ack.payload).contains("\"depth\":10");
        await(
                m ->
                        m.market.equals("ETH/USD")
                                && RawMessage.KIND_WS.equals(m.kind)
                                && type(m) == Type.BOOK_SNAPSHOT);
        assertThat(c.resubscriptions()).isEqualTo(1);
        assertThat(c.connects()).isEqualTo(1);
    }
}
