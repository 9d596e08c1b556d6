package io.depthflow.sources.venue;

import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.parse.BookParsers;
import io.depthflow.sources.simulator.ExchangeSimulator;
import io.depthflow.sources.simulator.Fault;
import io.depthflow.sources.simulator.StreamSimulator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The exchange simulator's Gemini and Bitfinex REST dialects over real HTTP, requested with the
 * venues' own {@code bookUri} and read back with the shared {@link BookParsers}: books, every
 * fault, and the venues' own error bodies.
 */
class VenueRestSimulatorTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private ExchangeSimulator sim;

    @BeforeEach
    void start() throws Exception {
        sim = ExchangeSimulator.builder().seed(3).start();
    }

    @AfterEach
    void stop() {
        sim.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gemini", "bitfinex"})
    void shouldServeBooksTheVenuesParserReads(String exchange) throws Exception {
        OrderBookSnapshot btc = BookParsers.parse(poll(exchange, "BTC/USD"));
        OrderBookSnapshot eth = BookParsers.parse(poll(exchange, "ETH/USD"));
        assertThat(btc.exchange).isEqualTo(exchange);
        assertThat(btc.bestBid()).isBetween(new BigDecimal("50000"), new BigDecimal("150000"));
        assertThat(eth.bestAsk()).isBetween(new BigDecimal("1000"), new BigDecimal("6000"));
        assertThat(btc.bestBid()).isLessThan(btc.bestAsk());
        // Bitfinex's REST view is 100 levels a side at most; Gemini's is the whole book.
        if ("bitfinex".equals(exchange)) {
            assertThat(btc.bidCount()).isEqualTo(100);
        } else {
            assertThat(btc.bidCount()).isGreaterThan(100);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"gemini", "bitfinex"})
    void shouldServeEveryFaultInTheVenuesOwnFormat(String exchange) throws Exception {
        expect(exchange, Fault.HTTP_429, IngestError.HTTP, exchange + ": HTTP 429: ");
        expect(exchange, Fault.HTTP_500, IngestError.HTTP, exchange + ": HTTP 500: ");
        expect(exchange, Fault.EXCHANGE_ERROR, IngestError.HTTP, exchange + ": HTTP ");
        expect(exchange, Fault.MALFORMED_JSON, IngestError.MALFORMED, exchange + ": invalid JSON");
        expect(exchange, Fault.CROSSED_BOOK, IngestError.CROSSED_BOOK, exchange + ": crossed book");
        expect(exchange, Fault.EMPTY_BOOK, IngestError.EMPTY_BOOK, exchange + ": no bids");
        assertThat(BookParsers.parse(poll(exchange, "BTC/USD")).bidCount()).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"gemini", "bitfinex"})
    void shouldAnswerAnUnknownSymbolAsTheVenueDoes(String exchange) throws Exception {
        RawMessage raw = poll(exchange, "DOGE/EUR");
        assertThatThrownBy(() -> BookParsers.parse(raw))
                .isInstanceOfSatisfying(
                        BookParseException.class,
                        e -> assertThat(e.errorType()).isEqualTo(IngestError.HTTP))
                .hasMessageContaining("ymbol");
    }

    /** The streamed books and the REST books of a venue are the same book when both run. */
    @ParameterizedTest
    @ValueSource(strings = {"gemini", "bitfinex"})
    void shouldServeTheStreamedBookOverRestWhenStreamsRun(String exchange) throws Exception {
        try (StreamSimulator streams = StreamSimulator.builder().seed(3).start();
                ExchangeSimulator both =
                        ExchangeSimulator.builder().seed(3).streams(streams).start()) {
            RawMessage raw = poll(both, exchange, "BTC/USD");
            OrderBookSnapshot book = BookParsers.parse(raw);
            assertThat(book.bestBid()).isLessThan(book.bestAsk());
            if ("bitfinex".equals(exchange)) {
                // Bitfinex's P0 grid near 90,000: whole dollars.
                assertThat(book.bestBid().stripTrailingZeros().scale()).isLessThanOrEqualTo(0);
            }
        }
    }

    private void expect(String exchange, Fault fault, String type, String messageStart)
            throws Exception {
        sim.injectFault(exchange, fault, 1);
        RawMessage raw = poll(exchange, "BTC/USD");
        assertThatThrownBy(() -> BookParsers.parse(raw))
                .as(fault.wireName())
                .isInstanceOfSatisfying(
                        BookParseException.class, e -> assertThat(e.errorType()).isEqualTo(type))
                .hasMessageStartingWith(messageStart);
    }

    private RawMessage poll(String exchange, String market) throws Exception {
        return poll(sim, exchange, market);
    }

    private RawMessage poll(ExchangeSimulator server, String exchange, String market)
            throws Exception {
        URI uri = Venues.get(exchange).rest().bookUri(server.baseUrl(exchange), market, 500);
        HttpResponse<String> r =
                http.send(
                        HttpRequest.newBuilder(uri).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
        return RawMessage.restResponse(
                exchange, market, 1_795_175_103_203L, r.statusCode(), r.body());
    }
}
