package io.depthflow.sources.model;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Objects;

/**
 * A cross-venue dislocation on the window-end books: buying on {@code buyExchange} and selling on
 * {@code sellExchange} at effective (fee-inclusive) prices makes {@code profit > 0}. Lands in
 * {@code arbitrage_1m}, read through {@code bi_arbitrage_1m}.
 */
public class Arbitrage {

    /** Window start, UTC epoch ms. */
    public long windowStart;

    public String market;

    public String buyExchange;

    public String sellExchange;

    /** Base quantity matched. */
    public BigDecimal baseQty;

    /** Sum of effective ask x quantity. */
    public BigDecimal cost;

    /** Sum of (effective bid - effective ask) x quantity. */
    public BigDecimal profit;

    /** profit / cost x 10^4. */
    public double profitBps;

    /** Stream mode: milliseconds of the window the pair was dislocated; null in poll mode. */
    public Long openMs;

    /** The venues behind the row, sorted. */
    public String[] exchanges;

    /** Their polls (poll mode) or book changes (stream mode), summed. */
    public int exchangeSamples;

    /** The polls their windows should have had, summed (poll mode; 0 when unknown). */
    public int expectedSamples;

    /**
     * The milliseconds their books were usable in the window, summed (stream mode; 0 in poll mode).
     */
    public long goodMs;

    /** The venues configured for the market, when known (0 otherwise). */
    public int expectedExchanges;

    public Arbitrage() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Arbitrage)) {
            return false;
        }
        Arbitrage that = (Arbitrage) o;
        return windowStart == that.windowStart
                && Objects.equals(market, that.market)
                && Objects.equals(buyExchange, that.buyExchange)
                && Objects.equals(sellExchange, that.sellExchange)
                && Objects.equals(baseQty, that.baseQty)
                && Objects.equals(cost, that.cost)
                && Objects.equals(profit, that.profit)
                && Double.compare(profitBps, that.profitBps) == 0
                && Objects.equals(openMs, that.openMs)
                && Arrays.equals(exchanges, that.exchanges)
                && exchangeSamples == that.exchangeSamples
                && expectedSamples == that.expectedSamples
                && goodMs == that.goodMs
                && expectedExchanges == that.expectedExchanges;
    }

    @Override
    public int hashCode() {
        int h =
                Objects.hash(
                        windowStart,
                        market,
                        buyExchange,
                        sellExchange,
                        baseQty,
                        cost,
                        profit,
                        profitBps,
                        openMs,
                        exchangeSamples,
                        expectedSamples,
                        goodMs,
                        expectedExchanges);
        h = 31 * h + Arrays.hashCode(exchanges);
        return h;
    }

    @Override
    public String toString() {
        return "Arbitrage{"
                + "windowStart="
                + windowStart
                + ", "
                + "market="
                + market
                + ", "
                + "buyExchange="
                + buyExchange
                + ", "
                + "sellExchange="
                + sellExchange
                + ", "
                + "baseQty="
                + baseQty
                + ", "
                + "cost="
                + cost
                + ", "
                + "profit="
                + profit
                + ", "
                + "profitBps="
                + profitBps
                + ", "
                + "openMs="
                + openMs
                + ", "
                + "exchanges="
                + Arrays.toString(exchanges)
                + ", "
                + "exchangeSamples="
                + exchangeSamples
                + ", "
                + "expectedSamples="
                + expectedSamples
                + ", "
                + "goodMs="
                + goodMs
                + ", "
                + "expectedExchanges="
                + expectedExchanges
                + "}";
    }
}
