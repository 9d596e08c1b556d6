package io.depthflow.sources.venue.bitfinex;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BitfinexSymbolsTest {

    @Test
    void shouldMapCanonicalMarketsToTradingPairSymbolsAndBack() {
        assertThat(BitfinexSymbols.symbol("BTC/USD")).isEqualTo("tBTCUSD");
        assertThat(BitfinexSymbols.symbol("ETH/USD")).isEqualTo("tETHUSD");
        assertThat(BitfinexSymbols.symbol("BTC/USDT")).isEqualTo("tBTCUST");
        assertThat(BitfinexSymbols.symbol("DOGE/USD")).isEqualTo("tDOGE:USD");
        assertThat(BitfinexSymbols.market("tBTCUSD")).isEqualTo("BTC/USD");
        assertThat(BitfinexSymbols.market("tETHUSD")).isEqualTo("ETH/USD");
        assertThat(BitfinexSymbols.market("tBTCUST")).isEqualTo("BTC/USDT");
        assertThat(BitfinexSymbols.market("tDOGE:USD")).isEqualTo("DOGE/USD");
        assertThat(BitfinexSymbols.market("tIOTETH")).isEqualTo("IOT/ETH");
    }

    @Test
    void shouldRejectFundingCurrenciesAndOtherShapes() {
        assertThatThrownBy(() -> BitfinexSymbols.market("fUSD")).hasMessageContaining("'fUSD'");
        assertThatThrownBy(() -> BitfinexSymbols.market("BTCUSD"))
                .hasMessageContaining("tBASEQUOTE");
        assertThatThrownBy(() -> BitfinexSymbols.market("tBTCUSDX"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void shouldBuildTheDocumentedRequests() {
        assertThat(Bitfinex.bookUri("https://api-pub.bitfinex.com", "BTC/USD", 100))
                .hasToString("https://api-pub.bitfinex.com/v2/book/tBTCUSD/P0?len=100");
        assertThat(Bitfinex.conf()).isEqualTo("{\"event\":\"conf\",\"flags\":196608}");
        assertThat(Bitfinex.subscribe("ETH/USD", 250))
                .isEqualTo(
                        "{\"event\":\"subscribe\",\"channel\":\"book\",\"symbol\":\"tETHUSD\",\"prec\":\"P0\",\"freq\":\"F0\",\"len\":\"250\"}");
        assertThat(Bitfinex.unsubscribe(10092))
                .isEqualTo("{\"event\":\"unsubscribe\",\"chanId\":10092}");
        assertThat(Bitfinex.ping(1234)).isEqualTo("{\"event\":\"ping\",\"cid\":1234}");
        assertThatThrownBy(() -> Bitfinex.bookUri("https://x", "BTC/USD", 250))
                .hasMessageContaining("[1, 25, 100]");
    }
}
