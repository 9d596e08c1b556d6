package io.depthflow.sources.simulator;

import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.venue.coinbase.CoinbaseStreamDialect;
import io.depthflow.sources.venue.kraken.KrakenStreamDialect;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An hour of the {@link StreamSimulator}'s books at its default 20 book messages a second per
 * market (72,000 steps each, the way its loop steps them: every market's reference once, then each
 * exchange's book held around it), checked after every step: each book's spread stays within 1 bp
 * (the issue saw Coinbase ETH widen to 172 bps in four minutes), Coinbase and Kraken never cross
 * each other, and the mid stays within 2% of where it started.
 */
class SimulatedMarketHourTest {

    private static final int STEPS_PER_HOUR = 20 * 3_600;

    @Test
    void shouldKeepSpreadsTightVenuesUncrossedAndTheMidNearItsStartForAnHour() {
        for (String market : new String[] {Markets.BTC_USD, Markets.ETH_USD}) {
            SplittableRandom rnd = new SplittableRandom(7);
            MarketBook kraken =
                    KrakenStreamDialect.book(market, rnd.split(), KrakenStreamDialect.LEVELS);
            MarketBook coinbase =
                    CoinbaseStreamDialect.book(market, rnd.split(), CoinbaseStreamDialect.LEVELS);
            ReferenceMid reference = ReferenceMid.forStream(market);
            BigDecimal start = mid(coinbase);
            BigDecimal widestBps = BigDecimal.ZERO;
            BigDecimal furthestBps = BigDecimal.ZERO;
            BigDecimal minMid = start;
            BigDecimal maxMid = start;
            for (int step = 1; step <= STEPS_PER_HOUR; step++) {
                reference.step(rnd);
                StreamSimulator.stepBook(kraken, reference, rnd);
                StreamSimulator.stepBook(coinbase, reference, rnd);

                for (MarketBook book : new MarketBook[] {kraken, coinbase}) {
                    assertThat(book.bestBid())
                            .as("%s step %d: not crossed", market, step)
                            .isLessThan(book.bestAsk());
                    widestBps =
                            widestBps.max(
                                    bps(
                                            price(book, book.bestAsk())
                                                    .subtract(price(book, book.bestBid())),
                                            mid(book)));
                    assertThat(book.bids.size())
                            .isBetween(book.targetLevels / 2, book.targetLevels + 20);
                    assertThat(book.asks.size())
                            .isBetween(book.targetLevels / 2, book.targetLevels + 20);
                }
                // Neither venue's bid reaches the other's ask.
                assertThat(price(kraken, kraken.bestBid()))
                        .as("%s step %d: kraken bid < coinbase ask", market, step)
                        .isLessThan(price(coinbase, coinbase.bestAsk()));
                assertThat(price(coinbase, coinbase.bestBid()))
                        .as("%s step %d: coinbase bid < kraken ask", market, step)
                        .isLessThan(price(kraken, kraken.bestAsk()));

                BigDecimal mid = mid(coinbase);
                furthestBps = furthestBps.max(bps(mid.subtract(start).abs(), start));
                minMid = minMid.min(mid);
                maxMid = maxMid.max(mid);
            }
            assertThat(widestBps)
                    .as("%s widest spread in bps over the hour", market)
                    .isLessThanOrEqualTo(BigDecimal.ONE);
            assertThat(furthestBps)
                    .as("%s furthest mid from the start in bps", market)
                    .isLessThan(new BigDecimal("200"));
            // ... and it does move: a market, not a constant (more than 2 bps from low to high).
            assertThat(bps(maxMid.subtract(minMid), start))
                    .as("%s mid range in bps", market)
                    .isGreaterThan(new BigDecimal("2"));
        }
    }

    private static BigDecimal price(MarketBook book, long unscaled) {
        return BigDecimal.valueOf(unscaled, book.priceScale);
    }

    private static BigDecimal mid(MarketBook book) {
        return price(book, book.bestBid())
                .add(price(book, book.bestAsk()))
                .divide(BigDecimal.valueOf(2));
    }

    private static BigDecimal bps(BigDecimal difference, BigDecimal of) {
        return difference.multiply(BigDecimal.valueOf(10_000)).divide(of, MathContext.DECIMAL64);
    }
}
