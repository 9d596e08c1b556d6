package io.depthflow.job.liquidity;

import java.math.BigDecimal;
import java.util.Map;

/**
 * Each venue's public base-tier taker fee (the tier of an account with no 30-day volume), in basis
 * points, keyed by venue name. The one place these numbers live: when venues become plug-ins,
 * each entry moves into its venue's package unchanged.
 *
 * <p>Sources (pages as stored and read on 2026-12-06; venues change their schedules, so a user
 * with another tier passes {@code --taker-fee-bps}):
 *
 * <ul>
 *   <li>{@code coinbase} 60: Coinbase Exchange / Advanced fee tiers, $0–$10K 30-day volume: taker
 *       60 bps, maker 40 bps. Model and rules:
 *       https://help.coinbase.com/en/coinbase/trading-and-funding/advanced-trade/advanced-trade-fees ;
 *       the tier table as published in Coinbase's help centre and reproduced at
 *       https://support.goldenclick.ai/exchange-trading-fees/coinbase-trading-fees .
 *   <li>{@code kraken} 40: Kraken Pro spot fee schedule, $0–$10K tier: taker 0.40 %, maker
 *       0.25 % (https://www.kraken.com/features/fee-schedule).
 *   <li>{@code bitstamp} 40: Bitstamp fee schedule, $0–$10,000 tier: taker 0.40 %, maker 0.30 %
 *       (https://www.bitstamp.net/fee_schedule/).
 *   <li>{@code gemini} 40: Gemini ActiveTrader fee schedule, lowest tier: taker 0.40 %
 *       (https://www.gemini.com/fees/activetrader-fee-schedule).
 *   <li>{@code bitfinex} 20: Bitfinex fee schedule, "$0.00 or more traded": taker 0.200 %, maker
 *       0.100 % (https://www.bitfinex.com/fees).
 * </ul>
 */
public final class PublicTakerFees {

    /** Venue name to base-tier taker fee in basis points. */
    public static final Map<String, BigDecimal> BASE_TIER_BPS =
            Map.of(
                    "coinbase", new BigDecimal("60"),
                    "kraken", new BigDecimal("40"),
                    "bitstamp", new BigDecimal("40"),
                    "gemini", new BigDecimal("40"),
                    "bitfinex", new BigDecimal("20"));

    private PublicTakerFees() {}
}
