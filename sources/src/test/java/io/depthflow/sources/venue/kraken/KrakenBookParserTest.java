package io.depthflow.sources.venue.kraken;

import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.parse.BookParseException;
import org.junit.jupiter.api.Test;

import static io.depthflow.sources.testing.Fixtures.docsExample;
import static io.depthflow.sources.testing.Fixtures.response;
import static org.assertj.core.api.Assertions.assertThat;

class KrakenBookParserTest {

    private static OrderBookSnapshot parse(String body) throws BookParseException {
        return KrakenBookParser.parse(response(KrakenVenue.NAME, "BTC/USD", body));
    }

    private static BookParseException failure(int status, String body) {
        try {
            KrakenBookParser.parse(response(KrakenVenue.NAME, "BTC/USD", status, body));
        } catch (BookParseException e) {
            return e;
        }
        throw new AssertionError("expected a BookParseException for " + body);
    }

    private static BookParseException failure(String body) {
        return failure(200, body);
    }

    private static String depth(String asks, String bids) {
        return "{\"error\":[],\"result\":{\"XXBTZUSD\":{\"asks\":["
                + asks
                + "],\"bids\":["
                + bids
                + "]}}}";
    }

    @Test
    void shouldParseDocumentedDepthExampleIntoExactScaledLevels() throws Exception {
        OrderBookSnapshot book = parse(docsExample("kraken-rest-depth.json"));

        assertThat(book.exchange).isEqualTo("kraken");
        assertThat(book.market).isEqualTo("BTC/USD");
        assertThat(book.priceScale).isEqualTo(5);
        assertThat(book.sizeScale).isEqualTo(3);
        assertThat(book.askPrices).containsExactly(3038410000L, 3038790000L, 3039370000L);
        assertThat(book.askSizes).containsExactly(2059L, 1500L, 9871L);
        assertThat(book.bidPrices).containsExactly(3029700000L, 3029670000L, 3028980000L);
        assertThat(book.bidSizes).containsExactly(1115L, 2002L, 5001L);
        assertThat(book.exchangeTime).isZero();
        assertThat(book.sequence).isZero();
    }

    @Test
    void shouldParseSecondDocumentedDepthExample() throws Exception {
        OrderBookSnapshot book = parse(docsExample("kraken-rest-depth-example2.json"));

        assertThat(book.priceScale).isEqualTo(5);
        assertThat(book.sizeScale).isEqualTo(3);
        assertThat(book.askPrices).containsExactly(353990000L, 354020000L);
        assertThat(book.askSizes).containsExactly(801L, 1000L);
        assertThat(book.bidPrices).containsExactly(353890000L, 353870000L);
        assertThat(book.bidSizes).containsExactly(754L, 798L);
        assertThat(book.bestBid().toPlainString()).isEqualTo("3538.90000");
        assertThat(book.bestAsk().toPlainString()).isEqualTo("3539.90000");
    }

    @Test
    void shouldReportErrorArrayAsExchangeErrorWithKrakenText() {
        BookParseException e = failure(docsExample("kraken-rest-error.json"));

        assertThat(e.errorType()).isEqualTo(IngestError.EXCHANGE);
        assertThat(e.getMessage()).isEqualTo("kraken: EGeneral:Invalid arguments:ordertype");
    }

    @Test
    void shouldReportUnknownPairAsExchangeError() {
        BookParseException e = failure("{\"error\":[\"EQuery:Unknown asset pair\"]}");

        assertThat(e.errorType()).isEqualTo(IngestError.EXCHANGE);
        assertThat(e.getMessage()).isEqualTo("kraken: EQuery:Unknown asset pair");
    }

    @Test
    void shouldReportNon200StatusAsHttpError() {
        assertThat(failure(503, "<html>503 Service Unavailable</html>").getMessage())
                .isEqualTo("kraken: HTTP 503");
        BookParseException e = failure(429, "{\"error\":[\"EGeneral:Too many requests\"]}");
        assertThat(e.errorType()).isEqualTo(IngestError.HTTP);
        assertThat(e.getMessage()).isEqualTo("kraken: HTTP 429: EGeneral:Too many requests");
    }

    @Test
    void shouldAcceptThePairKeysOfTheRequestedMarket() throws Exception {
        String eth =
                "{\"error\":[],\"result\":{\"XETHZUSD\":{\"asks\":[[\"3000.12\",\"1.00000000\",1]],\"bids\":[[\"3000.11\",\"2.50000000\",1]]}}}";
        OrderBookSnapshot book = KrakenBookParser.parse(response(KrakenVenue.NAME, "ETH/USD", eth));

        assertThat(book.askPrices).containsExactly(300012L);
        assertThat(book.bidSizes).containsExactly(250000000L);
        assertThat(
                        KrakenBookParser.parse(
                                        response(
                                                KrakenVenue.NAME,
                                                "ETH/USD",
                                                eth.replace("XETHZUSD", "ETHUSD")))
                                .market)
                .as("the request pair name")
                .isEqualTo("ETH/USD");
    }

    @Test
    void shouldRejectABookOfAnotherPairThanTheMessagesMarketNamingBoth() {
        // A response for XXBTZUSD labelled ETH/USD made Kraken's ETH mid 32,076.64 (issue 9).
        String btc =
                "{\"error\":[],\"result\":{\"XXBTZUSD\":{\"asks\":[[\"90001.1\",\"1.0\",1]],\"bids\":[[\"90000.1\",\"1.0\",1]]}}}";

        BookParseException e = null;
        try {
            KrakenBookParser.parse(response(KrakenVenue.NAME, "ETH/USD", btc));
        } catch (BookParseException thrown) {
            e = thrown;
        }

        assertThat(e).isNotNull();
        assertThat(e.errorType()).isEqualTo(IngestError.MALFORMED);
        assertThat(e.getMessage())
                .isEqualTo(
                        "kraken: result pair XXBTZUSD is not the book of the message's market ETH/USD (expected ETHUSD or XETHZUSD)");
        assertThat(failure(btc.replace("XXBTZUSD", "XETHZUSD")).getMessage())
                .contains("result pair XETHZUSD", "market BTC/USD");
    }

    @Test
    void shouldRejectResultWithSeveralPairsOrNone() {
        String two =
                "{\"error\":[],\"result\":{\"XXBTZUSD\":{\"asks\":[],\"bids\":[]},\"XETHZUSD\":{\"asks\":[],\"bids\":[]}}}";
        assertThat(failure(two).getMessage())
                .isEqualTo("kraken: result holds more than one pair: [XXBTZUSD, XETHZUSD]");
        assertThat(failure("{\"error\":[],\"result\":{}}").getMessage())
                .isEqualTo("kraken: result holds no pair");
        assertThat(failure("{\"error\":[]}").getMessage()).isEqualTo("kraken: missing 'result'");
    }

    @Test
    void shouldNameTheOffendingElementOfAMalformedLevel() {
        String asks =
                "[\"1.1\",\"1\",1],[\"1.2\",\"1\",1],[\"1.3\",\"1\",1],[30384.1,\"2.059\",1688671659]";
        BookParseException e = failure(depth(asks, "[\"1.0\",\"1\",1]"));

        assertThat(e.errorType()).isEqualTo(IngestError.MALFORMED);
        assertThat(e.getMessage()).isEqualTo("kraken: asks[3][0] is not a decimal string: 30384.1");
    }

    @Test
    void shouldRejectNonIntegerTimestamp() {
        BookParseException e = failure(depth("[\"2\",\"1\",\"1688671659\"]", "[\"1\",\"1\",1]"));

        assertThat(e.getMessage())
                .isEqualTo("kraken: asks[0][2] (timestamp) is not an integer: \"1688671659\"");
    }

    @Test
    void shouldSortUnsortedLevels() throws Exception {
        OrderBookSnapshot book =
                parse(
                        depth(
                                "[\"10.2\",\"1\",1],[\"10.1\",\"1\",1],[\"10.3\",\"1\",1]",
                                "[\"9.8\",\"1\",1],[\"9.9\",\"1\",1]"));

        assertThat(book.askPrices).containsExactly(101L, 102L, 103L);
        assertThat(book.bidPrices).containsExactly(99L, 98L);
    }

    @Test
    void shouldReportEmptyAndCrossedBooks() {
        BookParseException empty = failure(depth("", ""));
        assertThat(empty.errorType()).isEqualTo(IngestError.EMPTY_BOOK);
        assertThat(empty.getMessage()).isEqualTo("kraken: no bids and no asks");

        BookParseException crossed = failure(depth("[\"10.0\",\"1\",1]", "[\"10.5\",\"1\",1]"));
        assertThat(crossed.errorType()).isEqualTo(IngestError.CROSSED_BOOK);
        assertThat(crossed.getMessage())
                .isEqualTo("kraken: crossed book: best bid 10.5 >= best ask 10.0");
    }

    @Test
    void shouldRejectDuplicateKeysAndTrailingContent() {
        assertThat(failure("{\"error\":[],\"error\":[]}").getMessage())
                .startsWith("kraken: invalid JSON");
        assertThat(failure(depth("[\"2\",\"1\",1]", "[\"1\",\"1\",1]") + " {}").getMessage())
                .isEqualTo("kraken: unexpected content after the JSON object: an object");
        assertThat(failure("[]").getMessage())
                .isEqualTo("kraken: body is not a JSON object: an array");
        assertThat(failure("").getMessage())
                .isEqualTo("kraken: body is not a JSON object: end of input");
    }
}
