package io.depthflow.sources.venue.bitstamp;

import io.depthflow.sources.model.IngestError;
import io.depthflow.sources.model.OrderBookSnapshot;
import io.depthflow.sources.parse.BookParseException;
import io.depthflow.sources.parse.BookParsers;
import io.depthflow.sources.testing.Fixtures;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BitstampBookParserTest {

    private static OrderBookSnapshot parse(String market, String body) throws BookParseException {
        return BookParsers.parse(Fixtures.response("bitstamp", market, body));
    }

    private static BigDecimal price(OrderBookSnapshot s, long unscaled) {
        return BigDecimal.valueOf(unscaled, s.priceScale);
    }

    @Test
    void shouldParseTheDocumentedOrderBookBodyExactly() throws Exception {
        OrderBookSnapshot s =
                parse("BTC/USD", Fixtures.docsExample("bitstamp/bitstamp-rest-order-book.json"));
        assertThat(s.exchange).isEqualTo("bitstamp");
        assertThat(s.market).isEqualTo("BTC/USD");
        assertThat(s.bidPrices).hasSize(3);
        assertThat(price(s, s.bidPrices[0])).isEqualByComparingTo("89999");
        assertThat(BigDecimal.valueOf(s.bidSizes[2], s.sizeScale)).isEqualByComparingTo("0.0045");
        assertThat(price(s, s.askPrices[0])).isEqualByComparingTo("90001");
        // microtimestamp 1764979200123456 us: the exchange time in ms, and the sequence a diff
        // syncs against.
        assertThat(s.exchangeTime).isEqualTo(1_764_979_200_123L);
        assertThat(s.sequence).isEqualTo(1_764_979_200_123_456L);
    }

    @Test
    void shouldParseEveryRealOrderBookBodyKeepingEveryDigit() throws Exception {
        List<BitstampCaptures.RestBody> bodies = BitstampCaptures.restBodies();
        assertThat(bodies)
                .extracting(BitstampCaptures.RestBody::pair)
                .containsExactly(
                        "sgbeur", "xrpeur", "bateur", "usdteur", "xlmgbp", "adaeur", "batbtc",
                        "galaeur");
        for (BitstampCaptures.RestBody b : bodies) {
            String market = BitstampSymbols.market(b.pair());
            OrderBookSnapshot s = parse(market, b.body());
            assertThat(s.bidPrices.length).as(b.pair()).isPositive();
            assertThat(s.bidPrices[0]).as(b.pair()).isLessThan(s.askPrices[0]);
            assertThat(s.exchangeTime)
                    .as(b.pair())
                    .isBetween(1_641_343_690_000L, 1_641_343_700_000L);
        }
        // sgbeur's first levels, digit for digit: ["0.14695", "4567.41344936"] and the best ask.
        OrderBookSnapshot sgb = parse("SGB/EUR", bodies.get(0).body());
        assertThat(price(sgb, sgb.bidPrices[0]).toPlainString()).isEqualTo("0.14695");
        assertThat(BigDecimal.valueOf(sgb.bidSizes[0], sgb.sizeScale).toPlainString())
                .isEqualTo("4567.41344936");
        assertThat(sgb.bidPrices).hasSize(82);
        assertThat(sgb.askPrices).hasSize(436);
        assertThat(sgb.sequence).isEqualTo(1_641_343_695_572_693L);
    }

    @Test
    void shouldReportAnHttpErrorWithBitstampsReason() {
        assertThatThrownBy(
                        () ->
                                BookParsers.parse(
                                        Fixtures.response(
                                                "bitstamp",
                                                "BTC/USD",
                                                404,
                                                Fixtures.docsExample(
                                                        "bitstamp/bitstamp-rest-error.json"))))
                .isInstanceOf(BookParseException.class)
                .satisfies(
                        e ->
                                assertThat(((BookParseException) e).errorType())
                                        .isEqualTo(IngestError.HTTP))
                .hasMessage("bitstamp: HTTP 404: Invalid currency pair.");
    }

    @Test
    void shouldReportAnErrorInA200BodyAsAnExchangeError() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        "BTC/USD",
                                        Fixtures.docsExample("bitstamp/bitstamp-rest-error.json")))
                .satisfies(
                        e ->
                                assertThat(((BookParseException) e).errorType())
                                        .isEqualTo(IngestError.EXCHANGE))
                .hasMessage("bitstamp: Invalid currency pair.");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "BTC/USD",
                                        "{\"status\": \"error\", \"reason\": {\"__all__\": [\"Maintenance.\"]}}"))
                .satisfies(
                        e ->
                                assertThat(((BookParseException) e).errorType())
                                        .isEqualTo(IngestError.EXCHANGE))
                .hasMessage("bitstamp: Maintenance.");
    }

    @Test
    void shouldRejectALevelThatIsNotAPriceAndAnAmount() {
        assertThatThrownBy(
                        () ->
                                parse(
                                        "BTC/USD",
                                        "{\"microtimestamp\": \"1\", \"bids\": [[\"1\", \"2\", \"3\"]], \"asks\": [[\"4\", \"5\"]]}"))
                .satisfies(
                        e ->
                                assertThat(((BookParseException) e).errorType())
                                        .isEqualTo(IngestError.MALFORMED))
                .hasMessageContaining("bids[0] has more than 2 elements");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "BTC/USD",
                                        "{\"microtimestamp\": \"1\", \"bids\": [[1.5, \"2\"]], \"asks\": []}"))
                .hasMessageContaining("bids[0][0] is not a decimal string");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "BTC/USD",
                                        "{\"microtimestamp\": \"1\", \"bids\": [[\"1\", \"2\"]]}"))
                .hasMessageContaining("missing 'asks'");
        assertThatThrownBy(
                        () ->
                                parse(
                                        "BTC/USD",
                                        "{\"microtimestamp\": \"12x\", \"bids\": [], \"asks\": []}"))
                .hasMessageContaining("microtimestamp is not a whole number");
    }

    @Test
    void shouldMapCanonicalMarketsToBitstampPairsAndBack() {
        assertThat(BitstampSymbols.pair("BTC/USD")).isEqualTo("btcusd");
        assertThat(BitstampSymbols.pair("ETH/USD")).isEqualTo("ethusd");
        assertThat(BitstampSymbols.market("btcusd")).isEqualTo("BTC/USD");
        assertThat(BitstampSymbols.market("usdteur")).isEqualTo("USDT/EUR");
        assertThat(BitstampSymbols.market("btcusdt")).isEqualTo("BTC/USDT");
        assertThat(BitstampSymbols.market("batbtc")).isEqualTo("BAT/BTC");
        assertThatThrownBy(() -> BitstampSymbols.market("BTCUSD"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> BitstampSymbols.market("usd"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(
                        BitstampVenue.INSTANCE
                                .bookUri("https://www.bitstamp.net", "BTC/USD", 500)
                                .toString())
                .isEqualTo("https://www.bitstamp.net/api/v2/order_book/btcusd");
    }
}
