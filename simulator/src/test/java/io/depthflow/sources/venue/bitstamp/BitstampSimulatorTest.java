package io.depthflow.sources.venue.bitstamp;

import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.parse.BookParsers;
import io.depthflow.sources.simulator.ExchangeSimulator;
import io.depthflow.sources.simulator.Fault;
import io.depthflow.sources.simulator.StreamFault;
import io.depthflow.sources.simulator.StreamSimulator;
import io.depthflow.sources.ws.ConnectionEvent;
import io.depthflow.sources.ws.FeedConnection;
import io.depthflow.sources.ws.FeedSettings;
import io.depthflow.sources.ws.StreamMessage;
import io.depthflow.sources.ws.StreamMessage.Type;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulator speaks Bitstamp (REST and WebSocket, with its faults), read by the venue's own
 * request, parser, protocol and the shared supervised connection, over real sockets.
 */
class BitstampSimulatorTest {

    private static final long NOW = 1_795_175_103_203L; // 2026-11-20T11:45:03.203Z

    private final HttpClient http = HttpClient.newHttpClient();

    private RawMessage poll(ExchangeSimulator sim, String market) throws Exception {
        URI uri = BitstampVenue.INSTANCE.bookUri(sim.baseUrl("bitstamp"), market, 500);
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        return RawMessage.restResponse("bitstamp", market, NOW, r.statusCode(), r.body());
    }

    private static String outcome(RawMessage raw) {
        try {
            BookParsers.parse(raw);
            return "ok";
        } catch (BookParseException e) {
            return e.errorType();
        }
    }

    @Test
    void shouldServeBitstampsRestBookAndItsFaults() throws Exception {
        try (ExchangeSimulator sim = ExchangeSimulator.builder().seed(3).clock(() -> NOW).start()) {
            OrderBookSnapshot btc = BookParsers.parse(poll(sim, "BTC/USD"));
            assertThat(btc.bidPrices).hasSize(BitstampRestDialect.LEVELS);
            assertThat(btc.askPrices).hasSize(BitstampRestDialect.LEVELS);
            assertThat(btc.priceScale).as("BTC/USD in whole dollars").isZero();
            assertThat(BigDecimal.valueOf(btc.bidPrices[0], btc.priceScale))
                    .isBetween(new BigDecimal("80000"), new BigDecimal("100000"));
            assertThat(btc.exchangeTime).isBetween(NOW, NOW + 1);
            OrderBookSnapshot eth = BookParsers.parse(poll(sim, "ETH/USD"));
            assertThat(eth.priceScale).as("ETH/USD with one decimal").isEqualTo(1);

            sim.injectFault("bitstamp", Fault.HTTP_500, 1);
            sim.injectFault("bitstamp", Fault.HTTP_429, 1);
            sim.injectFault("bitstamp", Fault.EXCHANGE_ERROR, 1);
            sim.injectFault("bitstamp", Fault.MALFORMED_JSON, 1);
            sim.injectFault("bitstamp", Fault.CROSSED_BOOK, 1);
            sim.injectFault("bitstamp", Fault.EMPTY_BOOK, 1);
            List<String> outcomes = new ArrayList<>();
            for (int i = 0; i < 7; i++) {
                outcomes.add(outcome(poll(sim, "BTC/USD")));
            }
            assertThat(outcomes)
                    .containsExactly(
                            IngestError.HTTP,
                            IngestError.HTTP,
                            IngestError.EXCHANGE,
                            IngestError.MALFORMED,
                            IngestError.CROSSED_BOOK,
                            IngestError.EMPTY_BOOK,
                            "ok");
            RawMessage unknown = poll(sim, "DOGE/USD");
            assertThat(unknown.httpStatus).isEqualTo(404);
            assertThat(outcome(unknown)).isEqualTo(IngestError.HTTP);
            assertThat(sim.requestCount("bitstamp")).isEqualTo(10);
        }
    }

    @Test
    void shouldStreamWholeBooksThatSurviveDroppedMessagesAndDisconnects() throws Exception {
        LinkedBlockingQueue<RawMessage> received = new LinkedBlockingQueue<>();
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
        try (StreamSimulator sim =
                StreamSimulator.builder().seed(5).messagesPerSecond(20).start()) {
            assertThat(sim.url("bitstamp")).endsWith("/bitstamp");
            FeedSettings settings =
                    FeedSettings.of("bitstamp", sim.url("bitstamp"), List.of("BTC/USD", "ETH/USD"))
                            .withBackoff(Duration.ofMillis(50), Duration.ofMillis(400))
                            .withPingInterval(Duration.ofMillis(300))
                            .withStaleAfter(Duration.ofSeconds(5));
            try (FeedConnection feed =
                    new FeedConnection(
                            settings, SourceClock.system(), http, timer, null, received::put)) {
                feed.start();
                Set<String> books = new HashSet<>();
                await(
                        received,
                        m -> {
                            StreamMessage s = decode(m);
                            if (s.type == Type.BOOK_SNAPSHOT) {
                                assertThat(s.levelCount).isEqualTo(2 * BitstampVenue.STREAM_LEVELS);
                                books.add(m.market);
                            }
                            return books.size() == 2;
                        });
                // The client's bts:heartbeat is answered.
                await(received, m -> decode(m).type == Type.HEARTBEAT);

                // A dropped message costs nothing: the next one is a whole book again.
                sim.injectFault("bitstamp", StreamFault.DROP_MESSAGE);
                long sentBefore = sim.messagesSent("bitstamp");
                await(
                        received,
                        m ->
                                decode(m).type == Type.BOOK_SNAPSHOT
                                        && sim.messagesSent("bitstamp") > sentBefore + 2);

                // A dropped connection: disconnected, connected again, fresh books.
                sim.injectFault("bitstamp", StreamFault.DISCONNECT);
                await(
                        received,
                        m ->
                                RawMessage.KIND_WS_EVENT.equals(m.kind)
                                        && ConnectionEvent.DISCONNECTED
                                                == ConnectionEvent.of(m.payload));
                await(
                        received,
                        m ->
                                RawMessage.KIND_WS_EVENT.equals(m.kind)
                                        && ConnectionEvent.CONNECTED
                                                == ConnectionEvent.of(m.payload));
                await(received, m -> decode(m).type == Type.BOOK_SNAPSHOT);
                assertThat(feed.connects()).isEqualTo(2);
                assertThat(sim.connectionsOpened("bitstamp")).isEqualTo(2);

                // Bitstamp asks for a reconnection: the client starts over at once.
                sim.injectFault("bitstamp", StreamFault.REQUEST_RECONNECT);
                await(
                        received,
                        m ->
                                RawMessage.KIND_WS_EVENT.equals(m.kind)
                                        && ConnectionEvent.DISCONNECTED
                                                == ConnectionEvent.of(m.payload)
                                        && m.payload.contains(
                                                "the exchange asked for a reconnection"));
                await(
                        received,
                        m ->
                                RawMessage.KIND_WS_EVENT.equals(m.kind)
                                        && ConnectionEvent.CONNECTED
                                                == ConnectionEvent.of(m.payload));
                await(received, m -> decode(m).type == Type.BOOK_SNAPSHOT);
                assertThat(feed.connects()).isEqualTo(3);
            }
        } finally {
            timer.shutdownNow();
        }
    }

    private static StreamMessage decode(RawMessage m) {
        StreamMessage s = new StreamMessage();
        if (!RawMessage.KIND_WS.equals(m.kind)) {
            s.type = Type.OTHER;
            return s;
        }
        try {
            new BitstampWsParser().decode(m.payload, null, s);
        } catch (BookParseException e) {
            throw new AssertionError(e);
        }
        return s;
    }

    private static void await(
            LinkedBlockingQueue<RawMessage> queue, Predicate<RawMessage> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            RawMessage m = queue.poll(100, TimeUnit.MILLISECONDS);
            if (m != null && condition.test(m)) {
                return;
            }
        }
        throw new AssertionError("no matching message within 20 s");
    }
}
