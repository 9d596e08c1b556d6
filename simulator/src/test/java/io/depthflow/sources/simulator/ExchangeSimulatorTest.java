package io.depthflow.sources.simulator;

import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.parse.BookParsers;
import io.depthflow.sources.venue.coinbase.CoinbaseRestDialect;
import io.depthflow.sources.venue.coinbase.CoinbaseVenue;
import io.depthflow.sources.venue.kraken.KrakenVenue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

class ExchangeSimulatorTest {

    private static final long NOW = 1_795_175_103_203L; // 2026-11-20T11:45:03.203Z
    private static final SourceClock FIXED = () -> NOW;

    private final HttpClient client = HttpClient.newHttpClient();
    private ExchangeSimulator simulator;

    @BeforeEach
    void start() throws Exception {
        simulator =
                ExchangeSimulator.builder()
                        .seed(7)
                        .clock(FIXED)
                        .slowDelay(Duration.ofMillis(300))
                        .start();
    }

    @AfterEach
    void stop() {
        simulator.close();
    }

    private HttpResponse<String> get(String url) throws Exception {
        return client.send(
                HttpRequest.newBuilder(URI.create(url)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String coinbaseUrl(String product) {
        return simulator.baseUrl(CoinbaseVenue.NAME) + "/products/" + product + "/book?level=2";
    }

    private String krakenUrl(String pair, int count) {
        return simulator.baseUrl(KrakenVenue.NAME)
                + "/0/public/Depth?pair="
                + pair
                + "&count="
                + count;
    }

    private RawMessage fetch(String exchange, String market, String url) throws Exception {
        HttpResponse<String> response = get(url);
        return RawMessage.restResponse(
                exchange, market, NOW, response.statusCode(), response.body());
    }

    private static String errorType(RawMessage raw) {
        try {
            BookParsers.parse(raw);
            return "ok";
        } catch (BookParseException e) {
            return e.errorType();
        }
    }

    @Test
    void shouldServeCoinbaseLevel2BookInTheDocumentedWireFormat() throws Exception {
        RawMessage raw = fetch(CoinbaseVenue.NAME, "BTC/USD", coinbaseUrl("BTC-USD"));

        assertThat(raw.httpStatus).isEqualTo(200);
        assertThat(raw.payload)
                .startsWith("{\"bids\":[[\"")
                .containsPattern("\\[\"\\d+\\.\\d{2}\",\"\\d+(\\.\\d{1,8})?\",\\d+\\]")
                .containsPattern("\"sequence\":\\d+,");
        assertThat(raw.payload).containsPattern("\"time\":\"2026-11-20T11:45:03\\.203\\d{3}Z\"");
        OrderBookSnapshot book = BookParsers.parse(raw);
        assertThat(book.bidCount()).isEqualTo(CoinbaseRestDialect.DEPTH);
        assertThat(book.askCount()).isEqualTo(CoinbaseRestDialect.DEPTH);
        assertThat(book.priceScale).isEqualTo(2);
        assertThat(book.sequence).isPositive();
        assertThat(book.exchangeTime).isEqualTo(NOW);
        assertThat(book.mid()).isBetween(new BigDecimal("80000"), new BigDecimal("100000"));
        assertThat(book.askPrices[0] - book.bidPrices[0]).isBetween(1L, 3L); // 1 to 3 cents
    }

    @Test
    void shouldServeKrakenDepthWithRequestedCountAndCanonicalPairKey() throws Exception {
        RawMessage btc = fetch(KrakenVenue.NAME, "BTC/USD", krakenUrl("XBTUSD", 500));
        RawMessage eth = fetch(KrakenVenue.NAME, "ETH/USD", krakenUrl("ETHUSD", 100));

        assertThat(btc.payload)
                .startsWith("{\"error\":[],\"result\":{\"XXBTZUSD\":{\"asks\":[[\"")
                .containsPattern("\\[\"\\d+\\.\\d{4}0\",\"\\d+\\.\\d{8}\",\\d{10}\\]");
        assertThat(eth.payload)
                .startsWith("{\"error\":[],\"result\":{\"XETHZUSD\":")
                .containsPattern("\\[\"\\d+\\.\\d{2}\",\"\\d+\\.\\d{8}\",\\d{10}\\]");
        OrderBookSnapshot btcBook = BookParsers.parse(btc);
        OrderBookSnapshot ethBook = BookParsers.parse(eth);
        assertThat(btcBook.bidCount()).isEqualTo(500);
        assertThat(btcBook.askCount()).isEqualTo(500);
        assertThat(btcBook.priceScale).isEqualTo(5);
        assertThat(btcBook.sizeScale).isEqualTo(8);
        assertThat(ethBook.bidCount()).isEqualTo(100);
        assertThat(ethBook.mid()).isBetween(new BigDecimal("2500"), new BigDecimal("3500"));
    }

    @Test
    void shouldSpreadOneHundredThousandDollarsOverSeveralLevels() throws Exception {
        for (String[] target : new String[][] {{"BTC-USD", "BTC/USD"}, {"ETH-USD", "ETH/USD"}}) {
            OrderBookSnapshot book =
                    BookParsers.parse(fetch(CoinbaseVenue.NAME, target[1], coinbaseUrl(target[0])));
            BigDecimal notional = BigDecimal.ZERO;
            int levels = 0;
            while (notional.compareTo(new BigDecimal(100_000)) < 0) {
                notional = notional.add(book.askPrice(levels).multiply(book.askSize(levels)));
                levels++;
            }
            assertThat(levels).as("levels for $100k of %s", target[1]).isBetween(3, 40);
        }
    }

    @Test
    void shouldProduceTheSameBooksForTheSameSeed() throws Exception {
        try (ExchangeSimulator twin = ExchangeSimulator.builder().seed(7).clock(FIXED).start()) {
            for (int i = 0; i < 3; i++) {
                String mine = get(krakenUrl("XBTUSD", 50)).body();
                String theirs =
                        get(twin.baseUrl(KrakenVenue.NAME) + "/0/public/Depth?pair=XBTUSD&count=50")
                                .body();
                assertThat(mine).isEqualTo(theirs);
            }
        }
        try (ExchangeSimulator other = ExchangeSimulator.builder().seed(8).clock(FIXED).start()) {
            assertThat(
                            get(other.baseUrl(KrakenVenue.NAME)
                                            + "/0/public/Depth?pair=XBTUSD&count=50")
                                    .body())
                    .isNotEqualTo(get(krakenUrl("XBTUSD", 50)).body());
        }
    }

    @Test
    void shouldMoveTheBooksSoThatTheCheaperVenueChanges() throws Exception {
        int coinbaseCheaper = 0;
        int krakenCheaper = 0;
        BigDecimal firstMid = null;
        BigDecimal lastMid = null;
        for (int i = 0; i < 40; i++) {
            OrderBookSnapshot coinbase =
                    BookParsers.parse(fetch(CoinbaseVenue.NAME, "BTC/USD", coinbaseUrl("BTC-USD")));
            OrderBookSnapshot kraken =
                    BookParsers.parse(fetch(KrakenVenue.NAME, "BTC/USD", krakenUrl("XBTUSD", 10)));
            int cmp = coinbase.bestAsk().compareTo(kraken.bestAsk());
            coinbaseCheaper += cmp < 0 ? 1 : 0;
            krakenCheaper += cmp > 0 ? 1 : 0;
            firstMid = firstMid == null ? coinbase.mid() : firstMid;
            lastMid = coinbase.mid();
        }
        assertThat(coinbaseCheaper).isPositive();
        assertThat(krakenCheaper).isPositive();
        assertThat(lastMid).isNotEqualByComparingTo(firstMid);
    }

    @Test
    void shouldAnswerUnknownProductsWithTheExchangesOwnErrors() throws Exception {
        HttpResponse<String> coinbase = get(coinbaseUrl("DOGE-EUR"));
        HttpResponse<String> kraken = get(krakenUrl("XDGEUR", 10));

        assertThat(coinbase.statusCode()).isEqualTo(404);
        assertThat(coinbase.body()).isEqualTo("{\"message\":\"NotFound\"}");
        assertThat(kraken.statusCode()).isEqualTo(200);
        assertThat(kraken.body()).isEqualTo("{\"error\":[\"EQuery:Unknown asset pair\"]}");
    }

    @Test
    void shouldServeInjectedFaultsInOrderThenNormalBooks() throws Exception {
        simulator.injectFault(KrakenVenue.NAME, Fault.HTTP_429, 1);
        simulator.injectFault(KrakenVenue.NAME, Fault.HTTP_500, 1);
        simulator.injectFault(KrakenVenue.NAME, Fault.MALFORMED_JSON, 1);
        simulator.injectFault(KrakenVenue.NAME, Fault.EXCHANGE_ERROR, 1);
        simulator.injectFault(KrakenVenue.NAME, Fault.CROSSED_BOOK, 1);
        simulator.injectFault(KrakenVenue.NAME, Fault.EMPTY_BOOK, 1);

        HttpResponse<String> tooMany = get(krakenUrl("XBTUSD", 20));
        assertThat(tooMany.statusCode()).isEqualTo(429);
        assertThat(tooMany.headers().firstValue("Retry-After")).contains("1");
        String[] expected = {
            IngestError.HTTP,
            IngestError.MALFORMED,
            IngestError.EXCHANGE,
            IngestError.CROSSED_BOOK,
            IngestError.EMPTY_BOOK,
            "ok"
        };
        for (String type : expected) {
            assertThat(errorType(fetch(KrakenVenue.NAME, "BTC/USD", krakenUrl("XBTUSD", 20))))
                    .isEqualTo(type);
        }
        assertThat(simulator.requestCount(KrakenVenue.NAME)).isEqualTo(7);
        assertThat(simulator.requestCount(CoinbaseVenue.NAME)).isZero();
    }

    @Test
    void shouldAnswerCoinbaseFaultsInCoinbaseFormat() throws Exception {
        simulator.injectFault(CoinbaseVenue.NAME, Fault.HTTP_500, 1);
        simulator.injectFault(CoinbaseVenue.NAME, Fault.EXCHANGE_ERROR, 1);
        simulator.injectFault(CoinbaseVenue.NAME, Fault.CROSSED_BOOK, 1);
        simulator.injectFault(CoinbaseVenue.NAME, Fault.EMPTY_BOOK, 1);

        HttpResponse<String> error = get(coinbaseUrl("BTC-USD"));
        assertThat(error.statusCode()).isEqualTo(500);
        assertThat(error.body()).isEqualTo("{\"message\":\"Internal Server Error\"}");
        assertThat(get(coinbaseUrl("BTC-USD")).body())
                .isEqualTo("{\"message\":\"Invalid request format\"}");
        assertThat(errorType(fetch(CoinbaseVenue.NAME, "BTC/USD", coinbaseUrl("BTC-USD"))))
                .isEqualTo(IngestError.CROSSED_BOOK);
        RawMessage empty = fetch(CoinbaseVenue.NAME, "BTC/USD", coinbaseUrl("BTC-USD"));
        assertThat(empty.payload).startsWith("{\"bids\":[],\"asks\":[[");
        assertThat(errorType(empty)).isEqualTo(IngestError.EMPTY_BOOK);
    }

    @Test
    void shouldDelaySlowAnswersPastAShortClientTimeout() throws Exception {
        simulator.injectFault(CoinbaseVenue.NAME, Fault.SLOW, 1);
        HttpRequest request =
                HttpRequest.newBuilder(URI.create(coinbaseUrl("ETH-USD")))
                        .timeout(Duration.ofMillis(100))
                        .build();

        long started = System.nanoTime();
        Throwable failure = null;
        try {
            client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (java.net.http.HttpTimeoutException e) {
            failure = e;
        }
        assertThat(failure).isNotNull();
        assertThat(Duration.ofNanos(System.nanoTime() - started))
                .isLessThan(Duration.ofMillis(300));
        assertThat(get(coinbaseUrl("ETH-USD")).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldAcceptFaultsThroughTheControlEndpoint() throws Exception {
        HttpResponse<String> queued =
                client.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                simulator.baseUrl("_sim")
                                                        + "/faults?exchange=kraken&fault=http_500&times=2"))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> rejected =
                client.send(
                        HttpRequest.newBuilder(
                                        URI.create(
                                                simulator.baseUrl("_sim")
                                                        + "/faults?exchange=kraken&fault=meteor"))
                                .POST(HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(queued.statusCode()).isEqualTo(200);
        assertThat(queued.body())
                .isEqualTo("{\"exchange\":\"kraken\",\"fault\":\"http_500\",\"queued\":2}");
        assertThat(rejected.statusCode()).isEqualTo(400);
        assertThat(rejected.body()).contains("unknown fault 'meteor'");
        assertThat(get(krakenUrl("XBTUSD", 5)).statusCode()).isEqualTo(500);
        assertThat(get(krakenUrl("XBTUSD", 5)).statusCode()).isEqualTo(500);
        assertThat(get(krakenUrl("XBTUSD", 5)).statusCode()).isEqualTo(200);
        assertThat(get(simulator.baseUrl("_sim") + "/stats").body())
                .isEqualTo(
                        "{\"coinbase\":0,\"kraken\":3,\"bitstamp\":0,\"gemini\":0,\"bitfinex\":0}");
    }
}
