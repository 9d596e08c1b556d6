package io.depthflow.sources.rest;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.util.Preconditions;

import java.io.Serializable;

/**
 * A client-side request rate for one exchange: a token bucket refilled at {@code permitsPerSecond}
 * holding at most {@code burst} tokens, in real time. See {@link TokenBucket}.
 */
@PublicEvolving
public record RateLimit(double permitsPerSecond, int burst) implements Serializable {

    public RateLimit {
        Preconditions.checkArgument(
                permitsPerSecond > 0 && Double.isFinite(permitsPerSecond),
                "permitsPerSecond must be positive, got %s",
                permitsPerSecond);
        Preconditions.checkArgument(burst >= 1, "burst must be at least 1, got %s", burst);
    }
}
