package io.depthflow.sources.venue.bitfinex;

import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.testing.Fixtures;
import io.depthflow.sources.venue.RecordedFeed;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BitfinexBookParserTest {

    @Test
    void shouldParseLevelsBidsFirstWithNegativeAskAmounts() throws BookParseException {
        OrderBookSnapshot book =
                BitfinexBookParser.parse(
                        Fixtures.response(
                                Bitfinex.NAME,
                                "BTC/USD",
                                "[[89999.5,2,0.45603413],[90000,1,0.25],[90001,1,-0.1],[90002.25,3,-1.22]]"));
        assertThat(book.exchange).isEqualTo("bitfinex");
        assertThat(book.market).isEqualTo("BTC/USD");
        assertThat(book.bidCount()).isEqualTo(2);
        assertThat(book.bestBid()).isEqualByComparingTo("90000");
        assertThat(book.bidSize(0)).isEqualByComparingTo("0.25");
        assertThat(book.bidPrice(1)).isEqualByComparingTo("89999.5");
        assertThat(book.bestAsk()).isEqualByComparingTo("90001");
        assertThat(book.askSize(0)).isEqualByComparingTo("0.1");
        assertThat(book.askPrice(1)).isEqualByComparingTo("90002.25");
        assertThat(book.askSize(1)).isEqualByComparingTo("1.22");
        assertThat(book.receivedAt).isEqualTo(Fixtures.RECEIVED_AT);
        assertThat(book.sequence).isZero();
    }

    /**
     * The REST body is the WebSocket snapshot's level array: the real one, with e-notation amounts.
     */
    @Test
    void shouldParseTheLevelsOfARealBookExactly() throws BookParseException {
        String snapshot =
                RecordedFeed.received("bitfinex/bitfinex-ws.txt").stream()
                        .filter(p -> p.startsWith("[232956,[["))
                        .findFirst()
                        .orElseThrow();
        String body = snapshot.substring(snapshot.indexOf('[', 1), snapshot.lastIndexOf(','));
        OrderBookSnapshot book =
                BitfinexBookParser.parse(Fixtures.response(Bitfinex.NAME, "MNA/BTC", body));
        assertThat(book.bidCount()).isEqualTo(52);
        assertThat(book.askCount()).isEqualTo(86);
        assertThat(book.bestBid())
                .isEqualTo(new BigDecimal("0.00002505").setScale(book.priceScale));
        assertThat(book.bidSize(0)).isEqualByComparingTo("684.8165873");
        assertThat(book.bestAsk()).isEqualByComparingTo("0.00002531");
        assertThat(book.askSize(0)).isEqualByComparingTo("419.18518378");
        // The deepest bids are in e-notation on the wire (1e-8 is the last bid).
        assertThat(book.bidPrice(51)).isEqualByComparingTo("0.00000001");
    }

    @Test
    void shouldReportBitfinexErrorsWithTheirText() {
        assertThatThrownBy(
                        () ->
                                BitfinexBookParser.parse(
                                        Fixtures.response(
                                                Bitfinex.NAME,
                                                "BTC/USD",
                                                500,
                                                "[\"error\",10020,\"symbol: invalid\"]")))
                .isInstanceOfSatisfying(
                        BookParseException.class,
                        e -> assertThat(e.errorType()).isEqualTo(IngestError.HTTP))
                .hasMessage("bitfinex: HTTP 500: symbol: invalid (code 10020)");
        assertThatThrownBy(
                        () ->
                                BitfinexBookParser.parse(
                                        Fixtures.response(
                                                Bitfinex.NAME,
                                                "BTC/USD",
                                                "[\"error\",11010,\"ratelimit: error\"]")))
                .isInstanceOfSatisfying(
                        BookParseException.class,
                        e -> assertThat(e.errorType()).isEqualTo(IngestError.EXCHANGE))
                .hasMessage("bitfinex: ratelimit: error (code 11010)");
        assertThatThrownBy(
                        () ->
                                BitfinexBookParser.parse(
                                        Fixtures.response(Bitfinex.NAME, "BTC/USD", 429, "<html>")))
                .hasMessage("bitfinex: HTTP 429");
    }

    @Test
    void shouldRejectBooksThatAreNotTheDocumentedShape() {
        assertThatThrownBy(() -> parse("{\"bids\":[]}"))
                .hasMessage("bitfinex: body is not a JSON array: an object");
        assertThatThrownBy(() -> parse("[[90000,0,1]]"))
                .hasMessage("bitfinex: [0][1] (count) is not positive: 0");
        assertThatThrownBy(() -> parse("[[90000,1,0]]"))
                .hasMessage("bitfinex: [0][2] (amount) is zero: neither a bid nor an ask");
        assertThatThrownBy(() -> parse("[[\"90000\",1,1]]"))
                .hasMessage("bitfinex: [0][0] (price) is not a number: \"90000\"");
        assertThatThrownBy(() -> parse("[[90000,1]]"))
                .hasMessage("bitfinex: [0][2] (amount) is missing");
        assertThatThrownBy(() -> parse("[[90000,1,1],[90001,1,1]]"))
                .hasMessage("bitfinex: no asks")
                .isInstanceOfSatisfying(
                        BookParseException.class,
                        e -> assertThat(e.errorType()).isEqualTo(IngestError.EMPTY_BOOK));
        assertThatThrownBy(() -> parse("[[90002,1,1],[90001,1,-1]]"))
                .isInstanceOfSatisfying(
                        BookParseException.class,
                        e -> assertThat(e.errorType()).isEqualTo(IngestError.CROSSED_BOOK));
    }

    private static OrderBookSnapshot parse(String body) throws BookParseException {
        return BitfinexBookParser.parse(Fixtures.response(Bitfinex.NAME, "BTC/USD", body));
    }
}
