package io.depthflow.sources.venue.coinbase;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.markets.Markets;

import java.util.regex.Pattern;

/** Coinbase product ids: {@code BASE-QUOTE} ({@code BTC/USD} <-> {@code BTC-USD}). */
@PublicEvolving
public final class CoinbaseSymbols {

    private static final Pattern PRODUCT = Pattern.compile("[A-Z0-9]{2,10}-[A-Z0-9]{2,10}");

    private CoinbaseSymbols() {}

    /** {@code BTC/USD} -> {@code BTC-USD}. */
    public static String productId(String market) {
        return Markets.validate(market).replace('/', '-');
    }

    /** {@code BTC-USD} -> {@code BTC/USD}; throws {@link IllegalArgumentException} otherwise. */
    public static String market(String productId) {
        if (productId == null || !PRODUCT.matcher(productId).matches()) {
            throw new IllegalArgumentException(
                    "Coinbase product id '"
                            + productId
                            + "' is not of the form BASE-QUOTE, e.g. BTC-USD");
        }
        return productId.replace('-', '/');
    }
}
