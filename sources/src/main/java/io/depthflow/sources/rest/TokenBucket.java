package io.depthflow.sources.rest;

import org.apache.flink.annotation.Internal;

/**
 * A lazy-fill token bucket in real time, the algorithm Coinbase documents for its own limiter:
 * {@code tokens = min(burst, tokens + elapsed * rate)}, one token per request. A request that finds
 * no token is not queued: {@link #tryAcquire} says how long to wait, and the caller retries then.
 * {@link #pauseUntil} blocks requests until a server-given instant ({@code Retry-After}), from
 * which one request may go and the bucket refills as usual.
 *
 * <p>One bucket per exchange per reader subtask; not thread-safe (the poller's thread owns it).
 */
@Internal
public final class TokenBucket {

    private final double perNano;
    private final int burst;
    private double tokens;
    private long lastNanos;
    private long pausedUntilNanos;

    public TokenBucket(RateLimit limit, long nowNanos) {
        this.perNano = limit.permitsPerSecond() / 1e9;
        this.burst = limit.burst();
        this.tokens = limit.burst();
        this.lastNanos = nowNanos;
        this.pausedUntilNanos = nowNanos;
    }

    /** Takes a token and returns 0, or returns the nanoseconds until one is available. */
    public long tryAcquire(long nowNanos) {
        if (nowNanos - pausedUntilNanos < 0) {
            return pausedUntilNanos - nowNanos;
        }
        tokens = Math.min(burst, tokens + Math.max(0, nowNanos - lastNanos) * perNano);
        lastNanos = nowNanos;
        if (tokens >= 1) {
            tokens -= 1;
            return 0;
        }
        return Math.max(1, (long) Math.ceil((1 - tokens) / perNano));
    }

    /** No request before {@code untilNanos}; the bucket refills from then on. */
    public void pauseUntil(long untilNanos) {
        if (untilNanos - pausedUntilNanos > 0) {
            pausedUntilNanos = untilNanos;
            tokens = 1;
            lastNanos = untilNanos;
        }
    }
}
