package io.depthflow.job.liquidity;

import io.depthflow.job.quote.Side;

import java.math.BigDecimal;
import java.util.List;

/**
 * A market order of {@code notional} cash split optimally across venues; see {@link
 * Liquidity#route}.
 *
 * @param side buy (asks) or sell (bids)
 * @param notional the cash asked for, fees included
 * @param complete whether the merged book held the whole notional
 * @param allInPrice {@code cash / baseQty} over all legs (34 significant digits); {@code null} when
 *     no venue has a level on that side
 * @param baseQty the legs' base quantities summed
 * @param legs one per venue that filled something, in ascending venue-name order
 * @param bestSingle the best venue on its own among those whose own all-in quote completes, or
 *     {@code null} when none completes alone
 * @param savingsBps how much better {@code allInPrice} is than the best single venue's, in basis
 *     points of the best single price (never negative up to rounding); {@code null} without a best
 *     single venue
 */
public record Route(
        Side side,
        BigDecimal notional,
        boolean complete,
        BigDecimal allInPrice,
        BigDecimal baseQty,
        List<Leg> legs,
        BestSingle bestSingle,
        Double savingsBps) {

    public Route {
        legs = List.copyOf(legs);
    }

    /**
     * What one venue executes in a route.
     *
     * @param exchange the venue name
     * @param cash cash spent (buy) or raised (sell) on this venue, fee included (exact)
     * @param baseQty base quantity (34 significant digits when its last level is cut)
     * @param levels levels of this venue touched, the partial one included
     */
    public record Leg(String exchange, BigDecimal cash, BigDecimal baseQty, int levels) {}

    /**
     * The best venue on its own.
     *
     * @param exchange the venue name
     * @param allInPrice its own all-in price for the whole notional
     */
    public record BestSingle(String exchange, BigDecimal allInPrice) {}
}
