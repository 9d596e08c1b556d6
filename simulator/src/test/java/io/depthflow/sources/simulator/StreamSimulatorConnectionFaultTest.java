package io.depthflow.sources.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParsers;
import io.depthflow.sources.venue.coinbase.CoinbaseVenue;
import io.depthflow.sources.venue.kraken.KrakenVenue;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Faults aimed at one connection or all ({@code &connection=}): what lets {@code record} capture a
 * fault while a stream job is connected too. And REST books served from the feeds' own books.
 */
class StreamSimulatorConnectionFaultTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();

    /** A Coinbase level2 subscriber that keeps every message. */
    private final class Subscriber implements WebSocket.Listener {
        final List<JsonNode> messages = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> closed = new CompletableFuture<>();
        private final StringBuilder partial = new StringBuilder();
        final WebSocket ws;

        Subscriber(StreamSimulator sim) {
            ws =
                    http.newWebSocketBuilder()
                            .buildAsync(URI.create(sim.url(CoinbaseVenue.NAME)), this)
                            .join();
            ws.sendText(
                            "{\"type\":\"subscribe\",\"product_ids\":[\"BTC-USD\"],\"channel\":\"level2\"}",
                            true)
                    .join();
        }

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    messages.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(null);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(null);
        }

        /** Sequence numbers that were skipped. */
        long gaps() {
            long gaps = 0;
            for (int i = 1; i < messages.size(); i++) {
                gaps +=
                        messages.get(i).get("sequence_num").asLong()
                                - messages.get(i - 1).get("sequence_num").asLong()
                                - 1;
            }
            return gaps;
        }
    }

    private static void await(BooleanSupplier condition, String what) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("waiting for " + what).isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    @Test
    void shouldDropAMessageOnTheLastConnectionOnlyThenOnEveryConnection() throws Exception {
        try (StreamSimulator sim =
                StreamSimulator.builder().seed(3).messagesPerSecond(200).start()) {
            Subscriber job = new Subscriber(sim);
            await(() -> sim.openConnections(CoinbaseVenue.NAME) == 1, "the first connection");
            Subscriber record = new Subscriber(sim);
            await(
                    () -> job.messages.size() > 20 && record.messages.size() > 20,
                    "updates on both connections");
            List<String> open = sim.connections(CoinbaseVenue.NAME);
            assertThat(open).hasSize(2);
            long recordId = JSON.readTree(open.get(1)).get("id").asLong();
            assertThat(JSON.readTree(open.get(1)).get("markets").get(0).asText())
                    .isEqualTo(Markets.BTC_USD);

            assertThat(sim.injectFault(CoinbaseVenue.NAME, StreamFault.DROP_MESSAGE, "last"))
                    .containsExactly(recordId);
            int seen = record.messages.size();
            await(() -> record.messages.size() > seen + 20, "updates after the fault");
            assertThat(record.gaps()).isEqualTo(1);
            assertThat(job.gaps()).isZero();

            assertThat(sim.injectFault(CoinbaseVenue.NAME, StreamFault.DROP_MESSAGE, "all"))
                    .hasSize(2);
            int seenJob = job.messages.size();
            int seenRecord = record.messages.size();
            await(
                    () ->
                            job.messages.size() > seenJob + 20
                                    && record.messages.size() > seenRecord + 20,
                    "updates after the second fault");
            assertThat(record.gaps()).isEqualTo(2);
            assertThat(job.gaps()).isEqualTo(1);

            assertThatThrownBy(
                            () ->
                                    sim.injectFault(
                                            CoinbaseVenue.NAME, StreamFault.DISCONNECT, "999"))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("no open coinbase connection '999'");
            assertThat(
                            sim.injectFault(
                                    CoinbaseVenue.NAME,
                                    StreamFault.DISCONNECT,
                                    Long.toString(recordId)))
                    .containsExactly(recordId);
            record.closed.get(20, java.util.concurrent.TimeUnit.SECONDS);
            await(
                    () -> sim.openConnections(CoinbaseVenue.NAME) == 1,
                    "the record connection closed");
            assertThat(job.closed).isNotDone();
            job.ws.abort();
        }
    }

    @Test
    void shouldTargetConnectionsThroughTheControlEndpointAndServeTheFeedsBooksOverRest()
            throws Exception {
        try (StreamSimulator streams =
                        StreamSimulator.builder().seed(4).messagesPerSecond(100).start();
                ExchangeSimulator sim = ExchangeSimulator.builder().streams(streams).start()) {
            Subscriber job = new Subscriber(streams);
            Subscriber record = new Subscriber(streams);
            await(() -> job.messages.size() > 5 && record.messages.size() > 5, "both connections");

            HttpResponse<String> listed =
                    http.send(
                            HttpRequest.newBuilder(URI.create(sim.baseUrl("_sim") + "/connections"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(JSON.readTree(listed.body())).hasSize(2);
            HttpResponse<String> all =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    sim.baseUrl("_sim")
                                                            + "/faults?exchange=coinbase&fault=disconnect"))
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(all.statusCode()).isEqualTo(200);
            assertThat(JSON.readTree(all.body()).get("connections")).hasSize(2);
            job.closed.get(20, java.util.concurrent.TimeUnit.SECONDS);
            record.closed.get(20, java.util.concurrent.TimeUnit.SECONDS);
            HttpResponse<String> none =
                    http.send(
                            HttpRequest.newBuilder(
                                            URI.create(
                                                    sim.baseUrl("_sim")
                                                            + "/faults?exchange=coinbase&fault=disconnect&connection=last"))
                                    .POST(HttpRequest.BodyPublishers.noBody())
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(none.statusCode()).isEqualTo(400);

            // REST books come from the same live books: Coinbase's and Kraken's share one
            // reference,
            // so neither crosses the other, and both sit within a basis point of each other.
            for (int i = 0; i < 20; i++) {
                OrderBookSnapshot coinbase =
                        BookParsers.parse(
                                RawMessage.restResponse(
                                        CoinbaseVenue.NAME,
                                        Markets.BTC_USD,
                                        0,
                                        200,
                                        get(
                                                sim.baseUrl("coinbase")
                                                        + "/products/BTC-USD/book?level=2")));
                OrderBookSnapshot kraken =
                        BookParsers.parse(
                                RawMessage.restResponse(
                                        KrakenVenue.NAME,
                                        Markets.BTC_USD,
                                        0,
                                        200,
                                        get(
                                                sim.baseUrl("kraken")
                                                        + "/0/public/Depth?pair=XBTUSD&count=100")));
                assertThat(coinbase.bestBid()).isLessThan(kraken.bestAsk());
                assertThat(kraken.bestBid()).isLessThan(coinbase.bestAsk());
                assertThat(coinbase.mid().subtract(kraken.mid()).abs())
                        .isLessThan(coinbase.mid().divide(BigDecimal.valueOf(10_000)));
                assertThat(kraken.askCount()).isEqualTo(100);
            }
        }
    }

    private String get(String url) throws Exception {
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(URI.create(url)).build(),
                        HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return r.body();
    }
}
