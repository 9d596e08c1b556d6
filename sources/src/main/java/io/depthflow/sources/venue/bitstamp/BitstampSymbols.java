package io.depthflow.sources.venue.bitstamp;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.markets.Markets;

import java.util.List;
import java.util.Locale;

/**
 * Bitstamp's pair names: base and quote in lower case, concatenated ({@code BTC/USD} <-> {@code
 * btcusd}, the {@code url_symbol} of {@code /api/v2/trading-pairs-info/}). The reverse needs the
 * quote currency, so it is read from the end against the quotes Bitstamp lists (longest first:
 * {@code usdteur} is USDT/EUR, {@code btcusdt} is BTC/USDT).
 */
@PublicEvolving
public final class BitstampSymbols {

    /** Quote currencies of Bitstamp's markets, longest first so that USDT wins over USD. */
    static final List<String> QUOTES =
            List.of("usdt", "usdc", "pyusd", "usd", "eur", "gbp", "btc", "eth", "pax");

    private BitstampSymbols() {}

    /** {@code BTC/USD} -> {@code btcusd}. */
    public static String pair(String market) {
        return (Markets.base(market) + Markets.quote(market)).toLowerCase(Locale.ROOT);
    }

    /**
     * {@code btcusd} -> {@code BTC/USD}; throws {@link IllegalArgumentException} for a name that
     * does not end in a known quote.
     */
    public static String market(String pair) {
        if (pair != null && pair.equals(pair.toLowerCase(Locale.ROOT))) {
            for (String quote : QUOTES) {
                if (pair.endsWith(quote) && pair.length() > quote.length() + 1) {
                    String market =
                            (pair.substring(0, pair.length() - quote.length()) + "/" + quote)
                                    .toUpperCase(Locale.ROOT);
                    try {
                        return Markets.validate(market);
                    } catch (IllegalArgumentException e) {
                        break;
                    }
                }
            }
        }
        throw new IllegalArgumentException(
                "Bitstamp pair '" + pair + "' is not a known pair name, e.g. btcusd");
    }
}
