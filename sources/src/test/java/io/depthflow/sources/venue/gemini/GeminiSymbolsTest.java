package io.depthflow.sources.venue.gemini;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class GeminiSymbolsTest {

    @Test
    void shouldMapCanonicalMarketsToGeminiSymbolsAndBack() {
        assertThat(GeminiSymbols.restSymbol("BTC/USD")).isEqualTo("btcusd");
        assertThat(GeminiSymbols.wsSymbol("ETH/USD")).isEqualTo("ETHUSD");
        assertThat(GeminiSymbols.market("BTCUSD")).isEqualTo("BTC/USD");
        assertThat(GeminiSymbols.market("ethusd")).isEqualTo("ETH/USD");
        // The real recording's symbols.
        assertThat(
                        List.of("BATBTC", "BTCGBP", "ETHEUR", "LINKETH", "LTCETH", "ZECLTC")
                                .stream()
                                .map(GeminiSymbols::market))
                .containsExactly("BAT/BTC", "BTC/GBP", "ETH/EUR", "LINK/ETH", "LTC/ETH", "ZEC/LTC");
        assertThat(GeminiSymbols.market("BTCGUSD")).isEqualTo("BTC/GUSD");
        assertThatThrownBy(() -> GeminiSymbols.market("BTCXYZ")).hasMessageContaining("'BTCXYZ'");
    }

    @Test
    void shouldBuildTheDocumentedRequests() {
        assertThat(Gemini.bookUri("https://api.gemini.com", "BTC/USD"))
                .hasToString("https://api.gemini.com/v1/book/btcusd?limit_bids=0&limit_asks=0");
        assertThat(Gemini.subscribe(List.of("BTC/USD", "ETH/USD")))
                .isEqualTo(
                        "{\"type\":\"subscribe\",\"subscriptions\":[{\"name\":\"l2\",\"symbols\":[\"BTCUSD\",\"ETHUSD\"]}]}");
        assertThat(Gemini.unsubscribe(List.of("BTC/USD")))
                .isEqualTo(
                        "{\"type\":\"unsubscribe\",\"subscriptions\":[{\"name\":\"l2\",\"symbols\":[\"BTCUSD\"]}]}");
    }
}
