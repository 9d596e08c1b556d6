package io.depthflow.sources.rest;

import io.depthflow.sources.markets.Exchanges;
import io.depthflow.sources.markets.Markets;

import org.apache.flink.annotation.Internal;

import java.net.URI;

/** The URL of the order book request of each exchange, from a base URL and a canonical market. */
@Internal
public final class BookRequests {

    private BookRequests() {}

    /**
     * Coinbase: {@code {base}/products/BTC-USD/book?level=2} (full aggregated book). Kraken: {@code
     * {base}/0/public/Depth?pair=XBTUSD&count=500}.
     */
    public static URI uri(String exchange, String baseUrl, String market, int krakenDepthCount) {
        switch (Exchanges.validate(exchange)) {
            case Exchanges.COINBASE:
                return URI.create(
                        baseUrl + "/products/" + Markets.coinbaseProductId(market) + "/book?level=2");
            case Exchanges.KRAKEN:
                return URI.create(
                        baseUrl
                                + "/0/public/Depth?pair="
                                + Markets.krakenRestPair(market)
                                + "&count="
                                + krakenDepthCount);
            default:
                throw new IllegalArgumentException("no book request for exchange " + exchange);
        }
    }
}
