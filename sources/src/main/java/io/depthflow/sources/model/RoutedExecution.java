package io.depthflow.sources.model;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Objects;

/**
 * The optimal split of a market order of {@code notional} cash (fees included) across a market's
 * venues in one window, computed on the venues' window-end books (README, "Liquidity analytics").
 * Lands in {@code routed_execution_1m}, read through {@code bi_routed_execution_1m}.
 */
public class RoutedExecution {

    /** Window start, UTC epoch ms. */
    public long windowStart;

    public String market;

    /** {@code buy} or {@code sell}. */
    public String side;

    /** The cash that changes hands, fees included. */
    public long notional;

    /** Whether the merged books held the whole notional. */
    public boolean complete;

    /** cash / baseQty. */
    public BigDecimal allInPrice;

    /** Base quantity bought or sold, all legs. */
    public BigDecimal baseQty;

    /** The cash of all legs: the notional when complete, else what the books held. */
    public BigDecimal cash;

    /** Legs in venue-name order, venues without a fill left out. */
    public String[] legExchanges;

    /** Cash per leg, fees included. */
    public BigDecimal[] legCash;

    /** Base quantity per leg. */
    public BigDecimal[] legBaseQty;

    /** Levels touched per leg. */
    public int[] legLevels;

    /** The best venue whose own all-in quote completes; null when none does. */
    public String bestSingleExchange;

    /** Its all-in price; null when there is no best single venue. */
    public BigDecimal bestSingleAllInPrice;

    /**
     * How much better the routed price is than the best single one, in bps of it (0 without one).
     */
    public double savingsBps;

    /** The mean of the venues' window-end mids: the reference of the cost view. */
    public BigDecimal mid;

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

    public RoutedExecution() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof RoutedExecution)) {
            return false;
        }
        RoutedExecution that = (RoutedExecution) o;
        return windowStart == that.windowStart
                && Objects.equals(market, that.market)
                && Objects.equals(side, that.side)
                && notional == that.notional
                && complete == that.complete
                && Objects.equals(allInPrice, that.allInPrice)
                && Objects.equals(baseQty, that.baseQty)
                && Objects.equals(cash, that.cash)
                && Arrays.equals(legExchanges, that.legExchanges)
                && Arrays.equals(legCash, that.legCash)
                && Arrays.equals(legBaseQty, that.legBaseQty)
                && Arrays.equals(legLevels, that.legLevels)
                && Objects.equals(bestSingleExchange, that.bestSingleExchange)
                && Objects.equals(bestSingleAllInPrice, that.bestSingleAllInPrice)
                && Double.compare(savingsBps, that.savingsBps) == 0
                && Objects.equals(mid, that.mid)
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
                        side,
                        notional,
                        complete,
                        allInPrice,
                        baseQty,
                        cash,
                        bestSingleExchange,
                        bestSingleAllInPrice,
                        savingsBps,
                        mid,
                        exchangeSamples,
                        expectedSamples,
                        goodMs,
                        expectedExchanges);
        h = 31 * h + Arrays.hashCode(legExchanges);
        h = 31 * h + Arrays.hashCode(legCash);
        h = 31 * h + Arrays.hashCode(legBaseQty);
        h = 31 * h + Arrays.hashCode(legLevels);
        h = 31 * h + Arrays.hashCode(exchanges);
        return h;
    }

    @Override
    public String toString() {
        return "RoutedExecution{"
                + "windowStart="
                + windowStart
                + ", "
                + "market="
                + market
                + ", "
                + "side="
                + side
                + ", "
                + "notional="
                + notional
                + ", "
                + "complete="
                + complete
                + ", "
                + "allInPrice="
                + allInPrice
                + ", "
                + "baseQty="
                + baseQty
                + ", "
                + "cash="
                + cash
                + ", "
                + "legExchanges="
                + Arrays.toString(legExchanges)
                + ", "
                + "legCash="
                + Arrays.toString(legCash)
                + ", "
                + "legBaseQty="
                + Arrays.toString(legBaseQty)
                + ", "
                + "legLevels="
                + Arrays.toString(legLevels)
                + ", "
                + "bestSingleExchange="
                + bestSingleExchange
                + ", "
                + "bestSingleAllInPrice="
                + bestSingleAllInPrice
                + ", "
                + "savingsBps="
                + savingsBps
                + ", "
                + "mid="
                + mid
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
