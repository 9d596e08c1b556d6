package io.depthflow.sources.rest;

import org.apache.flink.annotation.PublicEvolving;

import io.depthflow.sources.clock.SourceClock;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The resolved, validated settings of REST book polling, shared by {@link RestBookSource} and the
 * {@code Recorder}: what to poll (exchanges x markets), when (interval on the clock's grid,
 * bounds), how (base URLs, timeouts, User-Agent, rate limits, retry backoff). Immutable and
 * serializable; built by {@link RestBookSourceBuilder#buildPollConfig()}.
 *
 * <p>Units: {@code interval}, {@code duration} and the backoffs are clock milliseconds; timeouts
 * are real milliseconds (see {@link RestBookSourceOptions}).
 */
@PublicEvolving
public final class RestPollConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    /** {@link #maxPolls()} or {@link #durationMs()} when there is no bound. */
    public static final int UNBOUNDED = 0;

    private final List<String> exchanges;
    private final List<String> markets;
    private final long intervalMs;
    private final Map<String, String> baseUrls;
    private final Map<String, RateLimit> rateLimits;
    private final Map<String, Integer> depthCounts;
    private final long connectTimeoutMs;
    private final long requestTimeoutMs;
    private final String userAgent;
    private final long initialBackoffMs;
    private final long maxBackoffMs;
    private final int maxPolls;
    private final long durationMs;
    private final SourceClock clock;

    RestPollConfig(
            List<String> exchanges,
            List<String> markets,
            long intervalMs,
            Map<String, String> baseUrls,
            Map<String, RateLimit> rateLimits,
            Map<String, Integer> depthCounts,
            long connectTimeoutMs,
            long requestTimeoutMs,
            String userAgent,
            long initialBackoffMs,
            long maxBackoffMs,
            int maxPolls,
            long durationMs,
            SourceClock clock) {
        this.exchanges = List.copyOf(exchanges);
        this.markets = List.copyOf(markets);
        this.intervalMs = intervalMs;
        this.baseUrls = Map.copyOf(baseUrls);
        this.rateLimits = Map.copyOf(rateLimits);
        this.depthCounts = Map.copyOf(depthCounts);
        this.connectTimeoutMs = connectTimeoutMs;
        this.requestTimeoutMs = requestTimeoutMs;
        this.userAgent = userAgent;
        this.initialBackoffMs = initialBackoffMs;
        this.maxBackoffMs = maxBackoffMs;
        this.maxPolls = maxPolls;
        this.durationMs = durationMs;
        this.clock = clock;
    }

    public List<String> exchanges() {
        return exchanges;
    }

    public List<String> markets() {
        return markets;
    }

    /**
     * The initial splits: one per exchange and market, exchange-major, first poll at the first grid
     * tick at or after {@code nowClockMs}, stopping at {@code nowClockMs + duration}.
     */
    public List<RestBookSplit> initialSplits(long nowClockMs) {
        long stopAt = durationMs == UNBOUNDED ? Long.MAX_VALUE : nowClockMs + durationMs;
        long firstPoll = PollSchedule.firstTick(nowClockMs, intervalMs);
        List<RestBookSplit> splits = new ArrayList<>();
        for (String exchange : exchanges) {
            for (String market : markets) {
                splits.add(new RestBookSplit(exchange, market, firstPoll, 0, stopAt));
            }
        }
        return splits;
    }

    public long intervalMs() {
        return intervalMs;
    }

    public String baseUrl(String exchange) {
        return baseUrls.get(exchange);
    }

    public RateLimit rateLimit(String exchange) {
        return rateLimits.get(exchange);
    }

    /**
     * Levels per side asked of {@code exchange} when its book request takes a count (Kraken's
     * {@code count}).
     */
    public int depthCount(String exchange) {
        return depthCounts.getOrDefault(exchange, RestBookSourceOptions.DEFAULT_DEPTH_COUNT);
    }

    public long connectTimeoutMs() {
        return connectTimeoutMs;
    }

    public long requestTimeoutMs() {
        return requestTimeoutMs;
    }

    public String userAgent() {
        return userAgent;
    }

    public long initialBackoffMs() {
        return initialBackoffMs;
    }

    public long maxBackoffMs() {
        return maxBackoffMs;
    }

    /** Scheduled polls per split before it finishes; {@link #UNBOUNDED} for no limit. */
    public int maxPolls() {
        return maxPolls;
    }

    /** Clock time after the start from which nothing is polled; {@link #UNBOUNDED} for no limit. */
    public long durationMs() {
        return durationMs;
    }

    public boolean isBounded() {
        return maxPolls != UNBOUNDED || durationMs != UNBOUNDED;
    }

    public SourceClock clock() {
        return clock;
    }

    @Override
    public String toString() {
        return "RestPollConfig{exchanges="
                + exchanges
                + ", markets="
                + markets
                + ", intervalMs="
                + intervalMs
                + ", baseUrls="
                // Sorted: Map.copyOf's iteration order is not kept across serialization.
                + new java.util.TreeMap<>(baseUrls)
                + ", maxPolls="
                + maxPolls
                + ", durationMs="
                + durationMs
                + ", clock="
                + clock
                + "}";
    }
}
