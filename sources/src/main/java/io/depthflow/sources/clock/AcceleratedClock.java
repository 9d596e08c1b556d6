package io.depthflow.sources.clock;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.util.Preconditions;

/**
 * A clock that starts at {@code startEpochMs} when it is created and then runs {@code factor} times
 * faster than real time. With factor 60, a source polling every 15 s of clock time polls every 250
 * ms of real time, and a minute window of event time closes every real second.
 *
 * <p>The origin is the real wall-clock time at construction (not {@link System#nanoTime()}, which
 * means nothing in another JVM), so the copies of one instance shipped to the JobManager and
 * TaskManagers agree on the time, as far as their wall clocks agree; restoring a job from a
 * checkpoint keeps the origin, so event time continues rather than restarting.
 */
@PublicEvolving
public final class AcceleratedClock implements SourceClock {

    private static final long serialVersionUID = 1L;

    private final long startEpochMs;
    private final double factor;
    private final long realOriginMs;

    public AcceleratedClock(long startEpochMs, double factor) {
        this(startEpochMs, factor, System.currentTimeMillis());
    }

    /**
     * A clock that reads the wall-clock time at {@code anchorEpochMs} and runs {@code factor} times
     * faster than real time from there: {@code now = anchor + factor * (wall clock - anchor)}.
     * Unlike {@link #AcceleratedClock(long, double)} it depends on no construction time, so
     * separate processes and a job resumed from a savepoint, given the same anchor and factor, read
     * the same time.
     */
    public static AcceleratedClock anchoredAt(long anchorEpochMs, double factor) {
        return new AcceleratedClock(anchorEpochMs, factor, anchorEpochMs);
    }

    AcceleratedClock(long startEpochMs, double factor, long realOriginMs) {
        Preconditions.checkArgument(
                factor > 0 && !Double.isInfinite(factor),
                "factor must be positive, got %s",
                factor);
        this.startEpochMs = startEpochMs;
        this.factor = factor;
        this.realOriginMs = realOriginMs;
    }

    @Override
    public long currentTimeMillis() {
        return startEpochMs + fromRealMillis(System.currentTimeMillis() - realOriginMs);
    }

    @Override
    public long toRealMillis(long clockMillis) {
        return (long) Math.ceil(clockMillis / factor);
    }

    @Override
    public long fromRealMillis(long realMillis) {
        return (long) Math.floor(realMillis * factor);
    }

    @Override
    public String toString() {
        return "AcceleratedClock{start=" + startEpochMs + ", factor=" + factor + "}";
    }
}
