package io.depthflow.job.liquidity;

import java.math.BigDecimal;

/**
 * Resting liquidity within {@code bandBps} of the mid; see {@link Liquidity#depthBands}. Raw prices
 * (no fee): a band says what is on the book, the all-in quote says what it costs.
 *
 * @param bandBps the band's half-width in basis points of the mid
 * @param bidQty Σ q over bids with {@code p ≥ mid × (1 − b/10⁴)} (exact)
 * @param bidNotional Σ p × q over the same bids (exact)
 * @param askQty Σ q over asks with {@code p ≤ mid × (1 + b/10⁴)} (exact)
 * @param askNotional Σ p × q over the same asks (exact)
 * @param imbalance {@code (bidNotional − askNotional) / (bidNotional + askNotional)} in [−1, 1] (34
 *     significant digits); {@code null} when both notionals are 0
 */
public record Band(
        int bandBps,
        BigDecimal bidQty,
        BigDecimal bidNotional,
        BigDecimal askQty,
        BigDecimal askNotional,
        BigDecimal imbalance) {}
