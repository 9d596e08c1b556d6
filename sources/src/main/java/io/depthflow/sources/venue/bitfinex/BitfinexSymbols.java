package io.depthflow.sources.venue.bitfinex;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.markets.Markets;

import java.util.Map;

/**
 * Bitfinex trading-pair symbols (docs "General": "Trading pairs are prepended by a 't'", upper
 * case): {@code BTC/USD} ↔ {@code tBTCUSD}, {@code ETH/USD} ↔ {@code tETHUSD}. A pair with an asset
 * of other than three letters puts a colon between them ({@code tDOGE:USD}, {@code
 * tTESTBTC:TESTUSD}), as Bitfinex's pair list {@code pub:list:pair:exchange} shows and cryptofeed's
 * symbol parser assumes. Bitfinex's own asset names differ for two common assets: Tether is {@code
 * UST} and Bitcoin Cash {@code BCHN} (cryptofeed maps them the same way); other names are kept as
 * Bitfinex writes them ({@code tIOTETH} is {@code IOT/ETH}).
 */
@PublicEvolving
public final class BitfinexSymbols {

    private static final Map<String, String> TO_BITFINEX = Map.of("USDT", "UST", "BCH", "BCHN");
    private static final Map<String, String> FROM_BITFINEX = Map.of("UST", "USDT", "BCHN", "BCH");

    private BitfinexSymbols() {}

    /** {@code BTC/USD} → {@code tBTCUSD}; {@code DOGE/USD} → {@code tDOGE:USD}. */
    public static String symbol(String market) {
        String base = asset(Markets.base(market));
        String quote = asset(Markets.quote(market));
        return base.length() == 3 && quote.length() == 3
                ? "t" + base + quote
                : "t" + base + ":" + quote;
    }

    /**
     * {@code tBTCUSD} → {@code BTC/USD}; throws {@link IllegalArgumentException} for anything else.
     */
    public static String market(String symbol) {
        if (symbol != null && symbol.length() > 1 && symbol.charAt(0) == 't') {
            String pair = symbol.substring(1);
            int colon = pair.indexOf(':');
            String base;
            String quote;
            if (colon > 0) {
                base = pair.substring(0, colon);
                quote = pair.substring(colon + 1);
            } else if (pair.length() == 6) {
                base = pair.substring(0, 3);
                quote = pair.substring(3);
            } else {
                base = null;
                quote = null;
            }
            if (base != null) {
                String market =
                        FROM_BITFINEX.getOrDefault(base, base)
                                + "/"
                                + FROM_BITFINEX.getOrDefault(quote, quote);
                try {
                    return Markets.validate(market);
                } catch (IllegalArgumentException e) {
                    // fall through to the message below
                }
            }
        }
        throw new IllegalArgumentException(
                "Bitfinex symbol '"
                        + symbol
                        + "' is not a trading pair of the form tBASEQUOTE or tBASE:QUOTE, e.g. tBTCUSD");
    }

    private static String asset(String canonical) {
        return TO_BITFINEX.getOrDefault(canonical, canonical);
    }
}
