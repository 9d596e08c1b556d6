package io.depthflow.sources.markets;

import org.apache.flink.annotation.PublicEvolving;

import java.util.regex.Pattern;

/**
 * Market names: the canonical form used in every model class ({@code BTC/USD}) and the symbols
 * each exchange's REST API expects.
 *
 * <ul>
 *   <li>Canonical: {@code BASE/QUOTE}, upper-case letters and digits, 2 to 10 characters each, with
 *       Bitcoin as {@code BTC}.
 *   <li>Coinbase Exchange product id: {@code BASE-QUOTE} ({@code BTC-USD}).
 *   <li>Kraken REST request pair: {@code BASEQUOTE} with Bitcoin as {@code XBT} ({@code XBTUSD},
 *       {@code ETHUSD}). Kraken answers under its own pair name ({@code XXBTZUSD}, {@code
 *       XETHZUSD}): {@link #krakenResultPairs} lists the names a response for a market may carry,
 *       and a response under any other name is not that market's book.
 * </ul>
 */
@PublicEvolving
public final class Markets {

    public static final String BTC_USD = "BTC/USD";
    public static final String ETH_USD = "ETH/USD";

    private static final Pattern CANONICAL = Pattern.compile("[A-Z0-9]{2,10}/[A-Z0-9]{2,10}");
    private static final Pattern COINBASE_PRODUCT = Pattern.compile("[A-Z0-9]{2,10}-[A-Z0-9]{2,10}");

    private Markets() {}

    /**
     * Returns {@code market} when it is canonical, else throws {@link IllegalArgumentException}
     * with a message that says what is expected.
     */
    public static String validate(String market) {
        if (market == null || !CANONICAL.matcher(market).matches()) {
            throw new IllegalArgumentException(
                    "market '"
                            + market
                            + "' is not canonical: expected BASE/QUOTE in upper case, e.g. BTC/USD");
        }
        return market;
    }

    /** {@code BTC/USD} -> {@code BTC}. */
    public static String base(String market) {
        String m = validate(market);
        return m.substring(0, m.indexOf('/'));
    }

    /** {@code BTC/USD} -> {@code USD}. */
    public static String quote(String market) {
        String m = validate(market);
        return m.substring(m.indexOf('/') + 1);
    }

    /** {@code BTC/USD} -> {@code BTC-USD}. */
    public static String coinbaseProductId(String market) {
        return validate(market).replace('/', '-');
    }

    /** {@code BTC-USD} -> {@code BTC/USD}; throws {@link IllegalArgumentException} otherwise. */
    public static String fromCoinbaseProductId(String productId) {
        if (productId == null || !COINBASE_PRODUCT.matcher(productId).matches()) {
            throw new IllegalArgumentException(
                    "Coinbase product id '" + productId + "' is not of the form BASE-QUOTE, e.g. BTC-USD");
        }
        return productId.replace('-', '/');
    }

    /** {@code BTC/USD} -> {@code XBTUSD}, {@code ETH/USD} -> {@code ETHUSD}. */
    public static String krakenRestPair(String market) {
        return krakenAsset(base(market)) + krakenAsset(quote(market));
    }

    /**
     * The market of a Kraken REST request pair built by {@link #krakenRestPair}, for the pairs
     * whose quote is one of the common 3-letter fiat or stable codes ({@code XBTUSD} -> {@code
     * BTC/USD}); throws {@link IllegalArgumentException} for anything else.
     */
    public static String fromKrakenRestPair(String pair) {
        if (pair != null) {
            for (String quote : new String[] {"USD", "EUR", "GBP", "USDT", "USDC"}) {
                if (pair.endsWith(quote) && pair.length() > quote.length() + 1) {
                    String base = pair.substring(0, pair.length() - quote.length());
                    String market = ("XBT".equals(base) ? "BTC" : base) + "/" + quote;
                    if (CANONICAL.matcher(market).matches()) {
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
    public static java.util.List<String> krakenResultPairs(String market) {
        String base = krakenAsset(base(market));
        String quote = krakenAsset(quote(market));
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
}
