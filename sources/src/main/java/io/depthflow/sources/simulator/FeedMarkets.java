package io.depthflow.sources.simulator;

import io.depthflow.sources.venue.coinbase.CoinbaseVenue;
import io.depthflow.sources.venue.kraken.KrakenVenue;
import io.depthflow.sources.markets.Markets;

import java.util.SplittableRandom;

/**
 * The simulated WebSocket books' parameters per exchange and market, close to the real pairs:
 * Kraken BTC/USD has 1 price decimal and ETH/USD 2 (pair_decimals), 8 quantity decimals
 * (lot_decimals); Coinbase products have a 0.01 tick and 8 size decimals. Any other market (the
 * benchmarks use many) trades around 100 with a 0.01 tick.
 */
final class FeedMarkets {

    /** Levels per side of a Kraken book: room for the deepest subscription (1000). */
    static final int KRAKEN_LEVELS = 1_050;

    /** Levels per side of a Coinbase book (its level2 channel sends the whole book). */
    static final int COINBASE_LEVELS = 500;

    private FeedMarkets() {}

    static MarketBook create(String exchange, String market, SplittableRandom rnd, int levels) {
        boolean kraken = KrakenVenue.NAME.equals(exchange);
        if (Markets.BTC_USD.equals(market)) {
            return kraken
                    ? new MarketBook(1, 8, 1, 900_000, 50_000_000, levels, rnd)
                    : new MarketBook(2, 8, 1, 9_000_000, 30_000_000, levels, rnd);
        }
        if (Markets.ETH_USD.equals(market)) {
            return new MarketBook(2, 8, 1, 300_000, 1_000_000_000, levels, rnd);
        }
        return new MarketBook(2, 8, 1, 10_000, 20_000_000_000L, levels, rnd);
    }

    static int defaultLevels(String exchange) {
        return KrakenVenue.NAME.equals(exchange) ? KRAKEN_LEVELS : COINBASE_LEVELS;
    }
}
