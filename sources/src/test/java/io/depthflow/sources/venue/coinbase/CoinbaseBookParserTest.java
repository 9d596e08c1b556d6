package io.depthflow.sources.venue.coinbase;

import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.parse.BookParseException;
import org.junit.jupiter.api.Test;

import static io.depthflow.sources.testing.Fixtures.RECEIVED_AT;
import static io.depthflow.sources.testing.Fixtures.docsExample;
import static io.depthflow.sources.testing.Fixtures.response;
import static org.assertj.core.api.Assertions.assertThat;

class CoinbaseBookParserTest {

    private static OrderBookSnapshot parse(String body) throws BookParseException {
        return CoinbaseBookParser.parse(response(CoinbaseVenue.NAME, "BTC/USD", body));
    }

    private static BookParseException failure(int status, String body) {
        try {
            CoinbaseBookParser.parse(response(CoinbaseVenue.NAME, "BTC/USD", status, body));
        } catch (BookParseException e) {
            return e;
        }
        throw new AssertionError("expected a BookParseException for " + body);
    }

    private static BookParseException failure(String body) {
        return failure(200, body);
    }

    @Test
    void shouldParseDocumentedBookExampleIntoExactScaledLevels() throws Exception {
        OrderBookSnapshot book = parse(docsExample("coinbase-rest-book.json"));

        assertThat(book.exchange).isEqualTo("coinbase");
        assertThat(book.market).isEqualTo("BTC/USD");
        assertThat(book.receivedAt).isEqualTo(RECEIVED_AT);
        assertThat(book.sequence).isEqualTo(13051505638L);
        assertThat(book.exchangeTime).isEqualTo(1613092163334L); // 2021-02-12T01:09:23.334Z
        assertThat(book.priceScale).isEqualTo(2);
        assertThat(book.sizeScale).isEqualTo(7); // "6.3578146"; "2" is scaled up to it
        assertThat(book.bidPrices).containsExactly(624758L);
        assertThat(book.bidSizes).containsExactly(63578146L);
        assertThat(book.askPrices).containsExactly(625152L);
        assertThat(book.askSizes).containsExactly(20000000L);
        assertThat(book.mid().toPlainString()).isEqualTo("6249.55");
    }

    @Test
    void shouldSortUnsortedLevelsAndDropZeroSizes() throws Exception {
        OrderBookSnapshot book =
                parse(
                        "{\"sequence\":7,\"bids\":[[\"99.5\",\"1\",1],[\"100.25\",\"0.5\",2],[\"99.75\",\"0.000\",1]],"
                                + "\"asks\":[[\"101\",\"3\",1],[\"100.5\",\"0.125\",4]],\"time\":\"2026-11-20T11:45:03.203456Z\"}");

        assertThat(book.priceScale).isEqualTo(2);
        assertThat(book.sizeScale).isEqualTo(3);
        assertThat(book.bidPrices).containsExactly(10025L, 9950L);
        assertThat(book.bidSizes).containsExactly(500L, 1000L);
        assertThat(book.askPrices).containsExactly(10050L, 10100L);
        assertThat(book.askSizes).containsExactly(125L, 3000L);
        assertThat(book.exchangeTime).isEqualTo(1795175103203L); // microseconds truncated
    }

    @Test
    void shouldReportNon200StatusAsHttpErrorWithCoinbaseMessage() {
        BookParseException e = failure(400, docsExample("coinbase-rest-error.json"));

        assertThat(e.errorType()).isEqualTo(IngestError.HTTP);
        assertThat(e.getMessage()).isEqualTo("coinbase: HTTP 400: Invalid Price");
    }

    @Test
    void shouldNameTheStatusWhenTheErrorBodyIsNotJson() {
        BookParseException e = failure(502, "<html>Bad Gateway</html>");

        assertThat(e.errorType()).isEqualTo(IngestError.HTTP);
        assertThat(e.getMessage()).isEqualTo("coinbase: HTTP 502");
    }

    @Test
    void shouldReportMessageBodyWithStatus200AsExchangeError() {
        BookParseException e = failure(docsExample("coinbase-rest-error.json"));

        assertThat(e.errorType()).isEqualTo(IngestError.EXCHANGE);
        assertThat(e.getMessage()).isEqualTo("coinbase: Invalid Price");
    }

    @Test
    void shouldRejectNumberInsteadOfString() {
        BookParseException e =
                failure(
                        "{\"bids\":[[\"1.5\",\"1\",1],[6247.58,\"1\",1]],\"asks\":[[\"7000\",\"1\",1]]}");

        assertThat(e.errorType()).isEqualTo(IngestError.MALFORMED);
        assertThat(e.getMessage())
                .isEqualTo("coinbase: bids[1][0] is not a decimal string: 6247.58");
    }

    @Test
    void shouldRejectExponentNegativeAndNaNStrings() {
        assertThat(
                        failure("{\"bids\":[[\"1e3\",\"1\",1]],\"asks\":[[\"7000\",\"1\",1]]}")
                                .getMessage())
                .isEqualTo("coinbase: bids[0][0] is not a decimal string: \"1e3\"");
        assertThat(
                        failure("{\"bids\":[[\"100\",\"-1\",1]],\"asks\":[[\"7000\",\"1\",1]]}")
                                .getMessage())
                .isEqualTo("coinbase: bids[0][1] is not a decimal string: \"-1\"");
        BookParseException nan =
                failure("{\"bids\":[[\"100\",\"1\",1]],\"asks\":[[\"NaN\",\"1\",1]]}");
        assertThat(nan.errorType()).isEqualTo(IngestError.MALFORMED);
        assertThat(nan.getMessage())
                .isEqualTo("coinbase: asks[0][0] is not a decimal string: \"NaN\"");
    }

    @Test
    void shouldRejectLevelsOfTheWrongShape() {
        assertThat(failure("{\"bids\":[[\"100\",\"1\"]],\"asks\":[]}").getMessage())
                .isEqualTo("coinbase: bids[0] has 2 elements, expected 3");
        assertThat(failure("{\"bids\":[[\"100\",\"1\",\"2\"]],\"asks\":[]}").getMessage())
                .isEqualTo("coinbase: bids[0][2] (num_orders) is not an integer: \"2\"");
        assertThat(failure("{\"bids\":{},\"asks\":[]}").getMessage())
                .isEqualTo("coinbase: bids is not an array: an object");
        assertThat(failure("{\"bids\":[]}").getMessage()).isEqualTo("coinbase: missing 'asks'");
        assertThat(failure("{\"sequence\":\"12\",\"bids\":[],\"asks\":[]}").getMessage())
                .isEqualTo("coinbase: sequence is not an integer: \"12\"");
        assertThat(failure("{\"time\":\"yesterday\",\"bids\":[],\"asks\":[]}").getMessage())
                .isEqualTo("coinbase: time is not an ISO 8601 instant: \"yesterday\"");
    }

    @Test
    void shouldReportTruncatedBodyAsMalformedJson() {
        BookParseException e = failure("{\"sequence\":1,\"bids\":[[\"100\",\"1\",1]],\"as");

        assertThat(e.errorType()).isEqualTo(IngestError.MALFORMED);
        assertThat(e.getMessage()).startsWith("coinbase: invalid JSON at line 1 column ");
    }

    @Test
    void shouldRejectDuplicatePriceLevels() {
        BookParseException e =
                failure(
                        "{\"bids\":[[\"100.0\",\"1\",1],[\"99\",\"1\",1],[\"100\",\"2\",1]],\"asks\":[[\"101\",\"1\",1]]}");

        assertThat(e.errorType()).isEqualTo(IngestError.MALFORMED);
        assertThat(e.getMessage())
                .isEqualTo("coinbase: duplicate price 100.0 in bids (at 0 and 2)");
    }

    @Test
    void shouldReportEmptySideAsEmptyBook() {
        BookParseException e = failure("{\"bids\":[],\"asks\":[[\"101\",\"1\",1]]}");

        assertThat(e.errorType()).isEqualTo(IngestError.EMPTY_BOOK);
        assertThat(e.getMessage()).isEqualTo("coinbase: no bids");
    }

    @Test
    void shouldReportSideWithOnlyZeroSizesAsEmptyBook() {
        BookParseException e =
                failure("{\"bids\":[[\"100\",\"1\",1]],\"asks\":[[\"101\",\"0\",0]]}");

        assertThat(e.errorType()).isEqualTo(IngestError.EMPTY_BOOK);
        assertThat(e.getMessage()).isEqualTo("coinbase: no asks");
    }

    @Test
    void shouldReportBidAtOrAboveAskAsCrossedBook() {
        BookParseException e =
                failure("{\"bids\":[[\"101.00\",\"1\",1]],\"asks\":[[\"101\",\"1\",1]]}");

        assertThat(e.errorType()).isEqualTo(IngestError.CROSSED_BOOK);
        assertThat(e.getMessage())
                .isEqualTo("coinbase: crossed book: best bid 101.00 >= best ask 101.00");
    }

    @Test
    void shouldRejectValuesThatOverflowTheCommonScale() {
        BookParseException e =
                failure(
                        "{\"bids\":[[\"99999999999.5\",\"1\",1]],\"asks\":[[\"100000000000.000000001\",\"1\",1]]}");

        assertThat(e.errorType()).isEqualTo(IngestError.MALFORMED);
        assertThat(e.getMessage())
                .isEqualTo(
                        "coinbase: bids[0][0] \"99999999999.5\" does not fit a scaled long at scale 9");
    }

    @Test
    void shouldIgnoreAuctionFields() throws Exception {
        OrderBookSnapshot book =
                parse(
                        "{\"bids\":[[\"1\",\"1\",1]],\"asks\":[[\"2\",\"1\",1]],\"auction_mode\":false,\"auction\":{\"open_price\":\"1.5\"}}");

        assertThat(book.bidPrices).containsExactly(1L);
        assertThat(book.sequence).isZero();
        assertThat(book.exchangeTime).isZero();
    }
}
