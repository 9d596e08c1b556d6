package io.depthflow.sources.venue.gemini;

import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.testing.Fixtures;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GeminiBookParserTest {

    @Test
    void shouldParseTheDocumentedBook() throws BookParseException {
        OrderBookSnapshot book =
                GeminiBookParser.parse(
                        Fixtures.response(
                                Gemini.NAME,
                                "BTC/USD",
                                Fixtures.resource(
                                        "fixtures/docs-examples/gemini/gemini-rest-book.json")));
        assertThat(book.exchange).isEqualTo("gemini");
        assertThat(book.bestBid()).isEqualByComparingTo("3607.85");
        assertThat(book.bidSize(0)).isEqualByComparingTo("6.643373");
        assertThat(book.bestAsk()).isEqualByComparingTo("3607.86");
        assertThat(book.askSize(0)).isEqualByComparingTo("14.68205084");
        // Exact: the size scale is the longest fraction sent (8), nothing rounded.
        assertThat(book.sizeScale).isEqualTo(8);
        assertThat(book.askSizes[0]).isEqualTo(1_468_205_084L);
        assertThat(book.exchangeTime).isZero();
    }

    @Test
    void shouldSortLevelsAndDropZeroAmounts() throws BookParseException {
        OrderBookSnapshot book =
                parse(
                        "{\"bids\":[{\"price\":\"99.5\",\"amount\":\"1\"},{\"price\":\"100\",\"amount\":\"0.5\"},"
                                + "{\"price\":\"98\",\"amount\":\"0\"}],\"asks\":[{\"price\":\"101.25\",\"amount\":\"2\",\"timestamp\":\"1\"},"
                                + "{\"price\":\"100.5\",\"amount\":\"3\",\"timestamp\":\"1\"}]}");
        assertThat(book.bidCount()).isEqualTo(2);
        assertThat(book.bestBid()).isEqualByComparingTo("100");
        assertThat(book.bestAsk()).isEqualByComparingTo("100.5");
        assertThat(book.askPrice(1)).isEqualByComparingTo("101.25");
    }

    @Test
    void shouldReportGeminiErrorsWithReasonAndMessage() {
        assertThatThrownBy(
                        () ->
                                GeminiBookParser.parse(
                                        Fixtures.response(
                                                Gemini.NAME,
                                                "BTC/USD",
                                                400,
                                                "{\"result\":\"error\",\"reason\":\"InvalidSymbol\",\"message\":\"Supplied value 'btcxyz' is not a valid symbol\"}")))
                .isInstanceOfSatisfying(
                        BookParseException.class,
                        e -> assertThat(e.errorType()).isEqualTo(IngestError.HTTP))
                .hasMessage(
                        "gemini: HTTP 400: InvalidSymbol: Supplied value 'btcxyz' is not a valid symbol");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"result\":\"error\",\"reason\":\"Maintenance\",\"message\":\"down\"}"))
                .isInstanceOfSatisfying(
                        BookParseException.class,
                        e -> assertThat(e.errorType()).isEqualTo(IngestError.EXCHANGE))
                .hasMessage("gemini: Maintenance: down");
        assertThatThrownBy(
                        () ->
                                GeminiBookParser.parse(
                                        Fixtures.response(Gemini.NAME, "BTC/USD", 503, "<html>")))
                .hasMessage("gemini: HTTP 503");
    }

    @Test
    void shouldRejectBooksThatAreNotTheDocumentedShape() {
        assertThatThrownBy(() -> parse("{\"bids\":[]}")).hasMessage("gemini: missing 'asks'");
        assertThatThrownBy(() -> parse("{\"bids\":[[\"1\",\"2\"]],\"asks\":[]}"))
                .hasMessage("gemini: bids[0] is not an object: an array");
        assertThatThrownBy(() -> parse("{\"bids\":[{\"price\":1.5,\"amount\":\"2\"}],\"asks\":[]}"))
                .hasMessage("gemini: bids[0].price is not a decimal string: 1.5");
        assertThatThrownBy(() -> parse("{\"bids\":[{\"price\":\"1.5\"}],\"asks\":[]}"))
                .hasMessage("gemini: bids[0] lacks amount");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "{\"bids\":[{\"price\":\"1.5\",\"amount\":\"-2\"}],\"asks\":[]}"))
                .hasMessage("gemini: bids[0].amount is not a decimal string: \"-2\"");
        assertThatThrownBy(() -> parse("{\"bids\":[],\"bids\":[],\"asks\":[]}"))
                .hasMessageStartingWith("gemini: invalid JSON");
        assertThatThrownBy(
                        () -> parse("{\"bids\":[{\"price\":\"1\",\"amount\":\"1\"}],\"asks\":[]}"))
                .isInstanceOfSatisfying(
                        BookParseException.class,
                        e -> assertThat(e.errorType()).isEqualTo(IngestError.EMPTY_BOOK));
    }

    private static OrderBookSnapshot parse(String body) throws BookParseException {
        return GeminiBookParser.parse(Fixtures.response(Gemini.NAME, "BTC/USD", body));
    }
}
