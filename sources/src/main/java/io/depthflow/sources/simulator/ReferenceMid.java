package io.depthflow.sources.simulator;

import io.depthflow.sources.markets.Markets;

import java.util.SplittableRandom;

/**
 * The "fair" price of one market that every simulated venue quotes around: each venue's best bid
 * stays below it and its best ask above it, so venues never cross each other (unless a fault says
 * so), and each venue's spread stays within {@link #maxHalfSpread} of it on either side.
 *
 * <p>It moves as a mean-reverting random walk (Ornstein-Uhlenbeck, discretised): each step adds a
 * Gaussian move of {@code stepBps} and pulls back a fraction {@code reversion} of the distance to
 * the start, so it wanders like a market over minutes but stays within a band around the start for
 * hours, at any step rate: the stationary spread is {@code stepBps / sqrt(2 reversion)}.
 *
 * <p>Unscaled at 1e-5 USD ({@link SimulatedBooks#SCALE}) and always an odd multiple of 5 at that
 * scale, so it never falls on a price tick (0.0001 or coarser) and a bid and an ask are always
 * strictly on each side of it. Random draws use {@code double} to shape synthetic data only.
 */
final class ReferenceMid {

    /** Unscaled at 1e-5 USD. */
    static final int SCALE = SimulatedBooks.SCALE;

    private final long start;
    private final double stepBps;
    private final double reversion;
    private long value;

    ReferenceMid(long start, double stepBps, double reversion) {
        this.start = start;
        this.stepBps = stepBps;
        this.reversion = reversion;
        this.value = offTick(start);
    }

    /**
     * The reference of a WebSocket feed's market: calm per step, as book messages come many a
     * second.
     */
    static ReferenceMid forStream(String market) {
        // 0.02 bps a step, a pull of 1e-4 a step: about 1.4 bps of spread around the start.
        return new ReferenceMid(startOf(market), 0.02, 1e-4);
    }

    /** Where a market starts: BTC/USD 90,000, ETH/USD 3,000, any other 100 (unscaled at 1e-5). */
    static long startOf(String market) {
        if (Markets.BTC_USD.equals(market)) {
            return 9_000_000_000L;
        }
        if (Markets.ETH_USD.equals(market)) {
            return 300_000_000L;
        }
        return 10_000_000L;
    }

    long value() {
        return value;
    }

    long start() {
        return start;
    }

    /** One step; returns the new value. */
    long step(SplittableRandom rnd) {
        double move = value * stepBps / 10_000 * rnd.nextGaussian() + reversion * (start - value);
        value = offTick(value + Math.round(move));
        return value;
    }

    /**
     * How far a venue's best bid or ask may be from the reference, unscaled at 1e-5: half a basis
     * point, and never less than two ticks of {@code tick} (unscaled at 1e-5).
     */
    long maxHalfSpread(long tick) {
        return Math.max(2 * tick, value / 20_000);
    }

    /** The nearest odd multiple of 5 (at 1e-5): never a multiple of 10, so never a tick. */
    private static long offTick(long v) {
        long tens = Math.floorDiv(v, 10);
        return tens * 10 + 5;
    }
}
