package io.depthflow.job.quote;

import java.math.BigDecimal;

/**
 * The result of walking one side of a book for a target quote notional; see {@link BookWalker}.
 *
 * @param side buy (asks) or sell (bids)
 * @param targetNotional the quote notional asked for
 * @param complete whether the side held the whole target
 * @param avgPrice filledNotional / baseQty (34 significant digits)
 * @param worstPrice price of the last level touched
 * @param baseQty base quantity bought or sold (34 significant digits; exact when no level is cut)
 * @param filledNotional the target when complete, else the whole side's notional (exact)
 * @param levels levels touched, the partial one included
 */
public record Walk(
        Side side,
        BigDecimal targetNotional,
        boolean complete,
        BigDecimal avgPrice,
        BigDecimal worstPrice,
        BigDecimal baseQty,
        BigDecimal filledNotional,
        int levels) {}
