package io.depthflow.sources.model;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Objects;

/**
 * The best venue for a market order of one side and notional in one window, among the exchanges
 * whose books could fill the whole notional: buy = lowest average price, sell = highest. Lands in
 * {@code best_execution_1m}, read through the BI view {@code bi_best_execution_1m}.
 */
public class BestExecution {

    /** Window start, UTC epoch ms. */
    public long windowStart;

    public String market;

    /** {@code buy} or {@code sell}. */
    public String side;

    public long notional;

    /** The winning venue. */
    public String exchange;

    /** Its average execution price, scale 18. */
    public BigDecimal avgPrice;

    /** How many exchanges could fill the whole notional. */
    public int candidates;

    /**
     * The exchanges that quoted the window (complete or not), sorted: those the choice was made
     * among. {@code null} before it is known.
     */
    public String[] exchanges;

    /** The polls (poll mode) of those exchanges' windows, summed. */
    public int exchangeSamples;

    /** The polls those windows should have had, summed (poll mode; 0 when unknown). */
    public int expectedSamples;

    /** The milliseconds those exchanges' books were usable in the window, summed (stream mode). */
    public long goodMs;

    /** The exchanges configured for the market, when known (0 otherwise). */
    public int expectedExchanges;

    public BestExecution() {}

    public BestExecution(
            long windowStart,
            String market,
            String side,
            long notional,
            String exchange,
            BigDecimal avgPrice,
            int candidates) {
        this.windowStart = windowStart;
        this.market = market;
        this.side = side;
        this.notional = notional;
        this.exchange = exchange;
        this.avgPrice = avgPrice;
        this.candidates = candidates;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof BestExecution)) {
            return false;
        }
        BestExecution that = (BestExecution) o;
        return windowStart == that.windowStart
                && Objects.equals(market, that.market)
                && Objects.equals(side, that.side)
                && notional == that.notional
                && Objects.equals(exchange, that.exchange)
                && Objects.equals(avgPrice, that.avgPrice)
                && candidates == that.candidates
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
                        exchange,
                        avgPrice,
                        candidates,
                        exchangeSamples,
                        expectedSamples,
                        goodMs,
                        expectedExchanges);
        h = 31 * h + Arrays.hashCode(exchanges);
        return h;
    }

    @Override
    public String toString() {
        return "BestExecution{"
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
                + "exchange="
                + exchange
                + ", "
                + "avgPrice="
                + avgPrice
                + ", "
                + "candidates="
                + candidates
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
