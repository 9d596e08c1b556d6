package io.depthflow.sources.venue.kraken;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.markets.Markets;

/**
 * Kraken's pair names. REST request pair: {@code BASEQUOTE} with Bitcoin as {@code XBT} ({@code
 * XBTUSD}, {@code ETHUSD}). Kraken answers under its own pair name ({@code XXBTZUSD}, {@code
 * XETHZUSD}): {@link #resultPairs} lists the names a response for a market may carry, and a
 * response under any other name is not that market's book. WebSocket v2 uses the canonical names.
 */
@PublicEvolving
public final class KrakenSymbols {

    private KrakenSymbols() {}

    /** {@code BTC/USD} -> {@code XBTUSD}, {@code ETH/USD} -> {@code ETHUSD}. */
    public static String restPair(String market) {
        return krakenAsset(Markets.base(market)) + krakenAsset(Markets.quote(market));
    }

    /**
     * The market of a Kraken REST request pair built by {@link #restPair}, for the pairs whose
     * quote is one of the common 3-letter fiat or stable codes ({@code XBTUSD} -> {@code BTC/USD});
     * throws {@link IllegalArgumentException} for anything else.
     */
    public static String market(String pair) {
        if (pair != null) {
            for (String quote : new String[] {"USD", "EUR", "GBP", "USDT", "USDC"}) {
                if (pair.endsWith(quote) && pair.length() > quote.length() + 1) {
                    String base = pair.substring(0, pair.length() - quote.length());
                    String market = ("XBT".equals(base) ? "BTC" : base) + "/" + quote;
                    if (isCanonical(market)) {
                        return market;
                    }
                }
            }
        }
        throw new IllegalArgumentException(
                "Kraken pair '" + pair + "' is not a known REST pair name, e.g. XBTUSD");
    }

    /**
     * The pair names a Kraken REST response for {@code market} may be keyed by: the request pair
     * ({@code XBTUSD}) and Kraken's legacy name, which prefixes each asset of the older listings
     * with {@code X} (crypto) or {@code Z} (fiat): {@code XXBTZUSD}, {@code XETHZUSD}, {@code
     * XETHXXBT}. Anything else (another market's name) is a different book.
     */
    public static java.util.List<String> resultPairs(String market) {
        String base = krakenAsset(Markets.base(market));
        String quote = krakenAsset(Markets.quote(market));
        java.util.List<String> names = new java.util.ArrayList<>();
        names.add(base + quote);
        if (base.length() == 3 && quote.length() == 3) {
            names.add("X" + base + (FIAT.contains(quote) ? "Z" : "X") + quote);
        }
        return names;
    }

    private static final java.util.Set<String> FIAT =
            java.util.Set.of("USD", "EUR", "GBP", "CAD", "JPY", "CHF", "AUD");

    private static String krakenAsset(String asset) {
        // Kraken keeps the ISO 4217-style code XBT for Bitcoin in its REST pair names.
        return "BTC".equals(asset) ? "XBT" : asset;
    }

    private static boolean isCanonical(String market) {
        try {
            Markets.validate(market);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
