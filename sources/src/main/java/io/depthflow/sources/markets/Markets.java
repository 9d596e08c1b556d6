package io.depthflow.sources.markets;

import org.apache.flink.annotation.PublicEvolving;

import java.util.regex.Pattern;

/**
 * Market names: the canonical form used in every model class ({@code BTC/USD}): {@code BASE/QUOTE},
 * upper-case letters and digits, 2 to 10 characters each, with Bitcoin as {@code BTC}. Each venue
 * maps it to its own symbols in its package ({@code CoinbaseSymbols}, {@code KrakenSymbols}, {@code
 * BitstampSymbols}).
 */
@PublicEvolving
public final class Markets {

    public static final String BTC_USD = "BTC/USD";
    public static final String ETH_USD = "ETH/USD";

    private static final Pattern CANONICAL = Pattern.compile("[A-Z0-9]{2,10}/[A-Z0-9]{2,10}");

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
}
