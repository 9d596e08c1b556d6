package io.depthflow.sources.venue.gemini;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.markets.Markets;

import java.util.List;
import java.util.Locale;

/**
 * Gemini symbols: the REST book path takes the lower-case symbol ({@code /v1/book/btcusd}), the
 * market data v2 feed upper case ({@code "symbols":["BTCUSD"]}, {@code "symbol":"BTCUSD"}); both
 * are base and quote concatenated. Reading a symbol back splits off a known quote currency (longest
 * first), which covers Gemini's quotes: the fiat ones, GUSD, the stablecoins and the crypto quotes
 * BTC, ETH, LTC, BCH, DAI ({@code ZECLTC} is {@code ZEC/LTC}).
 */
@PublicEvolving
public final class GeminiSymbols {

    private static final List<String> QUOTES =
            List.of(
                    "GUSD", "USDT", "USDC", "USD", "EUR", "GBP", "SGD", "AUD", "CAD", "HKD", "BTC",
                    "ETH", "LTC", "BCH", "DAI", "FIL");

    private GeminiSymbols() {}

    /** {@code BTC/USD} → {@code btcusd} (the REST path). */
    public static String restSymbol(String market) {
        return wsSymbol(market).toLowerCase(Locale.ROOT);
    }

    /** {@code BTC/USD} → {@code BTCUSD} (the WebSocket subscription and messages). */
    public static String wsSymbol(String market) {
        return Markets.base(market) + Markets.quote(market);
    }

    /**
     * {@code BTCUSD} or {@code btcusd} → {@code BTC/USD}; throws {@link IllegalArgumentException}
     * otherwise.
     */
    public static String market(String symbol) {
        if (symbol != null) {
            String s = symbol.toUpperCase(Locale.ROOT);
            for (String quote : QUOTES) {
                if (s.endsWith(quote) && s.length() >= quote.length() + 2) {
                    String market = s.substring(0, s.length() - quote.length()) + "/" + quote;
                    try {
                        return Markets.validate(market);
                    } catch (IllegalArgumentException e) {
                        // try the next quote
                    }
                }
            }
        }
        throw new IllegalArgumentException(
                "Gemini symbol '"
                        + symbol
                        + "' does not end in a known quote currency, e.g. BTCUSD");
    }
}
