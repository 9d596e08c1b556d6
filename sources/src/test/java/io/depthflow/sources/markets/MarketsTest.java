package io.depthflow.sources.markets;

import io.depthflow.sources.venue.coinbase.CoinbaseSymbols;
import io.depthflow.sources.venue.kraken.KrakenSymbols;
import io.depthflow.sources.venue.kraken.KrakenVenue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MarketsTest {

    @Test
    void shouldMapCanonicalMarketsToExchangeSymbols() {
        assertThat(CoinbaseSymbols.productId("BTC/USD")).isEqualTo("BTC-USD");
        assertThat(CoinbaseSymbols.productId("ETH/USD")).isEqualTo("ETH-USD");
        assertThat(KrakenSymbols.restPair("BTC/USD")).isEqualTo("XBTUSD");
        assertThat(KrakenSymbols.restPair("ETH/USD")).isEqualTo("ETHUSD");
    }

    @Test
    void shouldMapExchangeSymbolsBackToCanonicalMarkets() {
        assertThat(CoinbaseSymbols.market("BTC-USD")).isEqualTo("BTC/USD");
        assertThat(KrakenSymbols.market("XBTUSD")).isEqualTo("BTC/USD");
        assertThat(KrakenSymbols.market("ETHUSD")).isEqualTo("ETH/USD");
        assertThat(KrakenSymbols.market("XBTUSDT")).isEqualTo("BTC/USDT");
    }

    @Test
    void shouldSplitBaseAndQuote() {
        assertThat(Markets.base("ETH/USD")).isEqualTo("ETH");
        assertThat(Markets.quote("ETH/USD")).isEqualTo("USD");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "btc/usd",
                "BTC-USD",
                "BTCUSD",
                "BTC/",
                "/USD",
                "BTC/USD/EUR",
                "B/USD",
                " BTC/USD"
            })
    void shouldRejectNonCanonicalMarketsWithAClearMessage(String market) {
        assertThatThrownBy(() -> Markets.validate(market))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(
                        "market '"
                                + market
                                + "' is not canonical: expected BASE/QUOTE in upper case, e.g. BTC/USD");
    }

    @Test
    void shouldRejectUnknownExchangeSymbols() {
        assertThatThrownBy(() -> CoinbaseSymbols.market("BTC/USD"))
                .hasMessage(
                        "Coinbase product id 'BTC/USD' is not of the form BASE-QUOTE, e.g. BTC-USD");
        assertThatThrownBy(() -> KrakenSymbols.market("XXBTZJPY"))
                .hasMessage("Kraken pair 'XXBTZJPY' is not a known REST pair name, e.g. XBTUSD");
    }

    @Test
    void shouldValidateExchangeNames() {
        assertThat(Exchanges.validate("kraken")).isEqualTo(KrakenVenue.NAME);
        assertThat(Exchanges.ALL)
                .containsExactly("coinbase", "kraken", "bitstamp", "gemini", "bitfinex");
        assertThat(Exchanges.DEFAULTS).containsExactly("coinbase", "kraken");
        assertThatThrownBy(() -> Exchanges.validate("Kraken"))
                .hasMessage(
                        "unknown exchange 'Kraken': expected one of [coinbase, kraken, bitstamp, gemini, bitfinex]");
    }
}
