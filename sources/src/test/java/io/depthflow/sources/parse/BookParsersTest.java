package io.depthflow.sources.parse;

import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.model.RawMessage;
import io.depthflow.sources.venue.coinbase.CoinbaseVenue;
import io.depthflow.sources.venue.kraken.KrakenVenue;
import org.junit.jupiter.api.Test;

import static io.depthflow.sources.testing.Fixtures.RECEIVED_AT;
import static io.depthflow.sources.testing.Fixtures.docsExample;
import static io.depthflow.sources.testing.Fixtures.response;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BookParsersTest {

    @Test
    void shouldDispatchToTheExchangeParser() throws Exception {
        OrderBookSnapshot coinbase =
                BookParsers.parse(
                        response(
                                CoinbaseVenue.NAME,
                                "BTC/USD",
                                docsExample("coinbase-rest-book.json")));
        OrderBookSnapshot kraken =
                BookParsers.parse(
                        response(
                                KrakenVenue.NAME,
                                "BTC/USD",
                                docsExample("kraken-rest-depth.json")));

        assertThat(coinbase.exchange).isEqualTo("coinbase");
        assertThat(coinbase.sequence).isEqualTo(13051505638L);
        assertThat(kraken.exchange).isEqualTo("kraken");
        assertThat(kraken.priceScale).isEqualTo(5);
    }

    @Test
    void shouldReportPollWithoutResponseAsTransportError() {
        RawMessage raw =
                RawMessage.restFailure(
                        KrakenVenue.NAME,
                        "ETH/USD",
                        RECEIVED_AT,
                        "HttpTimeoutException: request timed out");

        assertThatThrownBy(() -> BookParsers.parse(raw))
                .isInstanceOfSatisfying(
                        BookParseException.class,
                        e -> {
                            assertThat(e.errorType()).isEqualTo(IngestError.TRANSPORT);
                            assertThat(e.getMessage())
                                    .isEqualTo("kraken: HttpTimeoutException: request timed out");
                            assertThat(e.toIngestError(raw))
                                    .isEqualTo(
                                            new IngestError(
                                                    "kraken",
                                                    "ETH/USD",
                                                    RECEIVED_AT,
                                                    IngestError.TRANSPORT,
                                                    "kraken: HttpTimeoutException: request timed out",
                                                    ""));
                        });
    }

    @Test
    void shouldReportUnknownExchangeAndKindAsMalformed() {
        RawMessage binance = response("binance", "BTC/USD", "{}");
        RawMessage ws =
                new RawMessage("kraken", "BTC/USD", RawMessage.KIND_WS, RECEIVED_AT, 0, "{}", null);

        assertThatThrownBy(() -> BookParsers.parse(binance))
                .isInstanceOf(BookParseException.class)
                .hasMessage("no parser for exchange 'binance'");
        assertThatThrownBy(() -> BookParsers.parse(ws))
                .isInstanceOf(BookParseException.class)
                .hasMessage("kraken: no parser for message kind 'ws'");
    }

    @Test
    void shouldKeepErrorMessagesOnOneLine() {
        BookParseException e = new BookParseException(IngestError.MALFORMED, "a\nb\r\nc\td");

        assertThat(e.getMessage()).isEqualTo("a b c d");
    }
}
