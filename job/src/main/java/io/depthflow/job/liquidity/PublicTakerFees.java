package io.depthflow.job.liquidity;

import io.depthflow.sources.venue.Venue;
import io.depthflow.sources.venue.Venues;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Each registered venue's public base-tier taker fee (the tier of an account with no 30-day
 * volume), in basis points, keyed by venue name. The numbers and their sources live in each venue's
 * package ({@link Venue#baseTierTakerFeeBps()}); README "Liquidity analytics" has the same table.
 * Venues change their schedules, and a desk on another tier passes {@code --taker-fee-bps}.
 */
public final class PublicTakerFees {

    /** Venue name to base-tier taker fee in basis points, for every registered venue. */
    public static final Map<String, BigDecimal> BASE_TIER_BPS = baseTier();

    private PublicTakerFees() {}

    private static Map<String, BigDecimal> baseTier() {
        Map<String, BigDecimal> m = new LinkedHashMap<>();
        for (Venue v : Venues.ALL) {
            m.put(v.name(), new BigDecimal(v.baseTierTakerFeeBps()));
        }
        return Map.copyOf(m);
    }
}
