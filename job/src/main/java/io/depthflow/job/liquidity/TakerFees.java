package io.depthflow.job.liquidity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.Serializable;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Taker fee per venue, in basis points ({@code 0 ≤ f < 10⁴}; 0 allowed). A buy at price {@code p}
 * costs {@code p × (1 + f/10⁴)} per base unit, a sell raises {@code p × (1 − f/10⁴)}.
 *
 * <p>Immutable and serializable, so a Flink function can capture it. A venue with no entry has fee
 * 0, and the first lookup of such a venue in the process logs a warning (its prices would otherwise
 * look cheaper than they are without anyone noticing).
 *
 * <pre>{@code
 * TakerFees fees = TakerFees.parse("coinbase=60,kraken=40");   // overrides on the defaults
 * BigDecimal f = fees.feeBps("kraken");                        // 40
 * }</pre>
 */
public final class TakerFees implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final Logger LOG = LoggerFactory.getLogger(TakerFees.class);

    /** Fees are below 100 %: at 10⁴ bps a sell would raise nothing. */
    public static final BigDecimal MAX_EXCLUSIVE_BPS = BigDecimal.valueOf(10_000);

    private final TreeMap<String, BigDecimal> bps;

    /** False for {@link #none()}: fee 0 everywhere is then what was asked for. */
    private final boolean warnUnknown;

    /** Venues already warned about, once per process (every minute would drown the log). */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private TakerFees(Map<String, BigDecimal> bps, boolean warnUnknown) {
        TreeMap<String, BigDecimal> copy = new TreeMap<>();
        for (Map.Entry<String, BigDecimal> e : bps.entrySet()) {
            copy.put(checkVenue(e.getKey()), checkFee(e.getKey(), e.getValue()));
        }
        this.bps = copy;
        this.warnUnknown = warnUnknown;
    }

    /** Each venue's public base-tier taker fee ({@link PublicTakerFees}). */
    public static TakerFees defaults() {
        return new TakerFees(PublicTakerFees.BASE_TIER_BPS, true);
    }

    /** Fee 0 everywhere: the fee-free quotes (no warning for any venue). */
    public static TakerFees none() {
        return new TakerFees(Map.of(), false);
    }

    /** Exactly these fees; venues not in {@code bps} have fee 0 (with a warning on first use). */
    public static TakerFees of(Map<String, BigDecimal> bps) {
        return new TakerFees(bps, true);
    }

    /**
     * The defaults overridden by {@code spec}, a comma-separated list of {@code VENUE=BPS} ({@code
     * coinbase=60,kraken=40}; BPS a decimal number, {@code 0 ≤ BPS < 10000}). An empty spec gives
     * the defaults. Throws {@link IllegalArgumentException} with a one-line message naming the
     * offending entry.
     */
    public static TakerFees parse(String spec) {
        TreeMap<String, BigDecimal> m = new TreeMap<>(PublicTakerFees.BASE_TIER_BPS);
        m.putAll(parseEntries(spec));
        return new TakerFees(m, true);
    }

    /**
     * The entries of {@code spec} alone ({@code VENUE=BPS,...}), validated, in venue order; the CLI
     * uses it to check the venue names before applying them.
     */
    public static Map<String, BigDecimal> parseEntries(String spec) {
        TreeMap<String, BigDecimal> m = new TreeMap<>();
        if (spec == null || spec.isBlank()) {
            return m;
        }
        for (String entry : spec.split(",", -1)) {
            String t = entry.trim();
            int eq = t.indexOf('=');
            if (eq <= 0 || eq == t.length() - 1) {
                throw new IllegalArgumentException(
                        "taker fee '" + t + "': expected VENUE=BPS, e.g. coinbase=60,kraken=40");
            }
            String venue = t.substring(0, eq).trim();
            String value = t.substring(eq + 1).trim();
            if (m.containsKey(venue)) {
                throw new IllegalArgumentException("taker fee for " + venue + " given twice");
            }
            m.put(checkVenue(venue), parseBps(venue, value));
        }
        return m;
    }

    /** Parses one fee in basis points ({@code 0 ≤ f < 10000}); {@code what} names it in errors. */
    public static BigDecimal parseBps(String what, String value) {
        BigDecimal f;
        try {
            f = new BigDecimal(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "taker fee for " + what + " is not a number of basis points: '" + value + "'");
        }
        return checkFee(what, f);
    }

    /** This fee table with {@code venue}'s fee set to {@code feeBps}. */
    public TakerFees with(String venue, BigDecimal feeBps) {
        TreeMap<String, BigDecimal> m = new TreeMap<>(bps);
        m.put(venue, feeBps);
        return new TakerFees(m, warnUnknown);
    }

    /** {@code venue}'s taker fee in basis points; 0, with a warning once, when it has none. */
    public BigDecimal feeBps(String venue) {
        BigDecimal f = bps.get(venue);
        if (f != null) {
            return f;
        }
        if (!warnUnknown) {
            return BigDecimal.ZERO;
        }
        if (WARNED.add(venue)) {
            LOG.warn(
                    "no taker fee known for venue '{}': using 0 bps (set it with --taker-fee-bps)",
                    venue);
        }
        return BigDecimal.ZERO;
    }

    /** Whether {@code venue} has an explicit fee (a default or a given one). */
    public boolean has(String venue) {
        return bps.containsKey(venue);
    }

    /** The explicit fees, by venue name in ascending order. */
    public Map<String, BigDecimal> asMap() {
        return Collections.unmodifiableMap(bps);
    }

    private static String checkVenue(String venue) {
        if (venue == null || venue.isEmpty()) {
            throw new IllegalArgumentException("taker fee: empty venue name");
        }
        return venue;
    }

    private static BigDecimal checkFee(String what, BigDecimal f) {
        if (f == null || f.signum() < 0 || f.compareTo(MAX_EXCLUSIVE_BPS) >= 0) {
            throw new IllegalArgumentException(
                    "taker fee for "
                            + what
                            + " must be at least 0 and below 10000 bps, got "
                            + (f == null ? null : f.toPlainString()));
        }
        return f;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TakerFees
                && ((TakerFees) o).bps.equals(bps)
                && ((TakerFees) o).warnUnknown == warnUnknown;
    }

    @Override
    public int hashCode() {
        return bps.hashCode() * 31 + (warnUnknown ? 1 : 0);
    }

    @Override
    public String toString() {
        return "TakerFees" + bps;
    }
}
