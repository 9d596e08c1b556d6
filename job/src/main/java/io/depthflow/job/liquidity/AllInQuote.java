package io.depthflow.job.liquidity;

import java.math.BigDecimal;

/**
 * A fee-inclusive market order on one venue; see {@link Liquidity#allIn}.
 *
 * @param allInPrice {@code cash / baseQty} (34 significant digits): what one base unit really costs
 *     (buy) or raises (sell), fee included; {@code null} when the side is empty
 * @param baseQty base quantity bought or sold (exact unless a level is cut, then 34 significant
 *     digits)
 * @param complete whether the side held the whole notional
 * @param levels levels touched, the partial one included
 * @param cash the notional when complete, else the cash of the whole side at effective prices
 *     (exact)
 */
public record AllInQuote(
        BigDecimal allInPrice, BigDecimal baseQty, boolean complete, int levels, BigDecimal cash) {}
