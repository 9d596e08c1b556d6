package io.depthflow.sources.model;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Objects;

/**
 * Depth within {@code bandBps} of the mid on one venue's window-end book, or consolidated ({@code
 * exchange = "all"}: every venue's levels around the mean of the venues' mids). Lands in {@code
 * liquidity_bands_1m}, read through {@code bi_liquidity_1m}.
 */
public class LiquidityBand {

    /** Window start, UTC epoch ms. */
    public long windowStart;

    public String market;

    /** The venue, or {@code all}. */
    public String exchange;

    /** The band's half-width in basis points of the mid. */
    public long bandBps;

    /** The mid the band is centred on. */
    public BigDecimal mid;

    public BigDecimal bidQty;

    public BigDecimal bidNotional;

    public BigDecimal askQty;

    public BigDecimal askNotional;

    /** (bid - ask notional) / (bid + ask notional); null when both are 0. */
    public BigDecimal imbalance;

    /** Stream mode: bid notional time-weighted over the window; null when not computed. */
    public BigDecimal twBidNotional;

    /** Stream mode: ask notional time-weighted over the window; null when not computed. */
    public BigDecimal twAskNotional;

    /** Per venue: its polls or book changes; {@code all}: the venues. */
    public int samples;

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

    public LiquidityBand() {}

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof LiquidityBand)) {
            return false;
        }
        LiquidityBand that = (LiquidityBand) o;
        return windowStart == that.windowStart
                && Objects.equals(market, that.market)
                && Objects.equals(exchange, that.exchange)
                && bandBps == that.bandBps
                && Objects.equals(mid, that.mid)
                && Objects.equals(bidQty, that.bidQty)
                && Objects.equals(bidNotional, that.bidNotional)
                && Objects.equals(askQty, that.askQty)
                && Objects.equals(askNotional, that.askNotional)
                && Objects.equals(imbalance, that.imbalance)
                && Objects.equals(twBidNotional, that.twBidNotional)
                && Objects.equals(twAskNotional, that.twAskNotional)
                && samples == that.samples
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
                        exchange,
                        bandBps,
                        mid,
                        bidQty,
                        bidNotional,
                        askQty,
                        askNotional,
                        imbalance,
                        twBidNotional,
                        twAskNotional,
                        samples,
                        exchangeSamples,
                        expectedSamples,
                        goodMs,
                        expectedExchanges);
        h = 31 * h + Arrays.hashCode(exchanges);
        return h;
    }

    @Override
    public String toString() {
        return "LiquidityBand{"
                + "windowStart="
                + windowStart
                + ", "
                + "market="
                + market
                + ", "
                + "exchange="
                + exchange
                + ", "
                + "bandBps="
                + bandBps
                + ", "
                + "mid="
                + mid
                + ", "
                + "bidQty="
                + bidQty
                + ", "
                + "bidNotional="
                + bidNotional
                + ", "
                + "askQty="
                + askQty
                + ", "
                + "askNotional="
                + askNotional
                + ", "
                + "imbalance="
                + imbalance
                + ", "
                + "twBidNotional="
                + twBidNotional
                + ", "
                + "twAskNotional="
                + twAskNotional
                + ", "
                + "samples="
                + samples
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
