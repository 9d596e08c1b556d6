package io.depthflow.clickhouse.internal;

import org.apache.flink.annotation.Internal;

import java.io.Serializable;

import static org.apache.flink.util.Preconditions.checkArgument;

/**
 * Capped exponential backoff with jitter: after the n-th consecutive failure the sink waits {@code
 * min(max, initial * 2^(n-1))}, minus up to 20% at random so that the sinks of one job (and of
 * several jobs) do not all knock on a restarted ClickHouse in the same millisecond.
 */
@Internal
public final class RetryBackoff implements Serializable {

    private static final long serialVersionUID = 1L;

    /** The largest share of a delay that jitter takes off. */
    static final double JITTER = 0.2;

    private final long initialMs;
    private final long maxMs;

    public RetryBackoff(long initialMs, long maxMs) {
        checkArgument(initialMs > 0 && maxMs >= initialMs, "backoff %s..%s ms", initialMs, maxMs);
        this.initialMs = initialMs;
        this.maxMs = maxMs;
    }

    /**
     * The wait after {@code failures} consecutive failures (1 for the first), given a uniform
     * random number in [0, 1).
     */
    public long delayMs(int failures, double random) {
        checkArgument(failures >= 1, "failures must be >= 1, got %s", failures);
        long base = initialMs;
        for (int i = 1; i < failures && base < maxMs; i++) {
            base *= 2;
        }
        base = Math.min(base, maxMs);
        return Math.max(1, base - (long) (base * JITTER * random));
    }

    public long initialMs() {
        return initialMs;
    }

    public long maxMs() {
        return maxMs;
    }
}
