package io.depthflow.job.liquidity;

import java.math.BigDecimal;

/**
 * A cross-venue dislocation: buying on one venue and selling on another at once pays, fees
 * included; see {@link Liquidity#dislocations}.
 *
 * @param buyExchange venue A, whose asks are bought
 * @param sellExchange venue B, whose bids are sold into
 * @param baseQty base quantity matched (exact)
 * @param cost Σ effective ask × q: the cash spent on A, fee included (exact)
 * @param profit Σ (effective bid − effective ask) × q: the cash left after selling on B (exact,
 *     always &gt; 0 in a reported dislocation)
 * @param profitBps {@code profit / cost × 10⁴}
 */
public record Dislocation(
        String buyExchange,
        String sellExchange,
        BigDecimal baseQty,
        BigDecimal cost,
        BigDecimal profit,
        double profitBps) {}
