package io.depthflow.job.liquidity;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Each venue's public base-tier taker fee (the tier of an account with no 30-day volume), in basis
 * points, keyed by venue name. The one place these numbers live: when venues become plug-ins,
 * each entry moves into its venue's package unchanged (README "Liquidity analytics" has the same
 * table).
 *
 * <p>Looked up on 2026-12-06 in the stored copies of public pages this project can search (no
 * internet here); venues change their schedules, and a desk on another tier passes {@code
 * --taker-fee-bps}:
 *
 * <ul>
 *   <li>{@code coinbase} 60: Coinbase Exchange / Advanced, $0–$10K tier, taker 60 bps (maker 40).
 *       Rules: https://help.coinbase.com/en/coinbase/trading-and-funding/advanced-trade/advanced-trade-fees
 *       (the stored copy states the maker-taker model, not the numbers); the tier table as
 *       reproduced at https://support.goldenclick.ai/exchange-trading-fees/coinbase-trading-fees
 *       (undated).
 *   <li>{@code kraken} 40: Kraken Pro spot, $0–$10K tier, taker 0.40 % (maker 0.25 %),
 *       https://www.kraken.com/features/fee-schedule. Not confirmed from here: the only stored
 *       copies are third-party pages still showing Kraken's older first tier, taker 0.26 % (e.g.
 *       https://ablison.com/how-much-is-kraken-pro).
 *   <li>{@code bitstamp} 40: Bitstamp, $0–$10,000 tier, taker 0.40 % (maker 0.30 %),
 *       https://www.bitstamp.net/fee_schedule/ as summarised in
 *       https://raw.githubusercontent.com/api-evangelist/bitstamp/refs/heads/main/finops/finops.yml .
 *   <li>{@code gemini} 35: Gemini ActiveTrader, first tier (30-day volume 0), taker 0.35 % (maker
 *       0.25 %), https://gemini.com/fees/activetrader-fee-schedule ("Last Modified September 23,
 *       2020", the newest copy stored).
 *   <li>{@code bitfinex} 20: Bitfinex, "$0.00 or more traded", taker 0.200 % (maker 0.100 %),
 *       https://www.bitfinex.com/fees (undated).
 * </ul>
 */
public final class PublicTakerFees {

    /** Venue name to base-tier taker fee in basis points. */
    public static final Map<String, BigDecimal> BASE_TIER_BPS =
            Map.of(
                    "coinbase", new BigDecimal("60"),
                    "kraken", new BigDecimal("40"),
                    "bitstamp", new BigDecimal("40"),
                    "gemini", new BigDecimal("35"),
                    "bitfinex", new BigDecimal("20"));

    private PublicTakerFees() {}
}
