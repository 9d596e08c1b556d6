package io.depthflow.sources.rest;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ReadableConfig;

import io.depthflow.sources.clock.SourceClock;
import io.depthflow.sources.markets.Exchanges;
import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.venue.Venue;
import io.depthflow.sources.venue.Venues;

import java.net.URI;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.apache.flink.util.Preconditions.checkArgument;
import static org.apache.flink.util.Preconditions.checkNotNull;

/**
 * Builds a {@link RestBookSource} (or, for the {@code Recorder}, just its {@link RestPollConfig}).
 * Every setting has the default of its {@link RestBookSourceOptions} key; setters validate their
 * argument and {@link #build()} checks the whole.
 *
 * <pre>{@code
 * // Live exchanges, wall clock, every minute at :00, forever:
 * RestBookSource live = RestBookSource.builder().setConfiguration(flinkConfig).build();
 *
 * // The simulator, 15 s of event time every 250 ms, 8 polls per market, then END_OF_INPUT:
 * RestBookSource demo = RestBookSource.builder()
 *         .setBaseUrl("coinbase", simulator.baseUrl("coinbase"))
 *         .setBaseUrl("kraken", simulator.baseUrl("kraken"))
 *         .setClock(new AcceleratedClock(Instant.parse("2026-11-20T00:00:00Z").toEpochMilli(), 60))
 *         .setInterval(Duration.ofSeconds(15))
 *         .setRateLimit("kraken", 100, 10)
 *         .setMaxPolls(8)
 *         .build();
 * }</pre>
 */
@PublicEvolving
public final class RestBookSourceBuilder {

    private List<String> exchanges = RestBookSourceOptions.EXCHANGES.defaultValue();
    private List<String> markets = RestBookSourceOptions.MARKETS.defaultValue();
    private Duration interval = RestBookSourceOptions.INTERVAL.defaultValue();
    private final Map<String, String> baseUrls = new HashMap<>();
    private final Map<String, RateLimit> rateLimits = new HashMap<>();
    private final Map<String, Integer> depthCounts = new HashMap<>();
    private Duration connectTimeout = RestBookSourceOptions.CONNECT_TIMEOUT.defaultValue();
    private Duration requestTimeout = RestBookSourceOptions.REQUEST_TIMEOUT.defaultValue();
    private String userAgent = RestBookSourceOptions.USER_AGENT.defaultValue();
    private Duration initialBackoff = RestBookSourceOptions.RETRY_INITIAL_BACKOFF.defaultValue();
    private Duration maxBackoff = RestBookSourceOptions.RETRY_MAX_BACKOFF.defaultValue();
    private int maxPolls = RestPollConfig.UNBOUNDED;
    private Duration duration;
    private SourceClock clock = SourceClock.system();

    RestBookSourceBuilder() {
        for (Venue venue : Venues.ALL) {
            baseUrls.put(venue.name(), RestBookSourceOptions.baseUrl(venue.name()).defaultValue());
            rateLimits.put(
                    venue.name(),
                    new RateLimit(
                            RestBookSourceOptions.rateLimit(venue.name()).defaultValue(),
                            RestBookSourceOptions.rateBurst(venue.name()).defaultValue()));
            depthCounts.put(
                    venue.name(), RestBookSourceOptions.depthCount(venue.name()).defaultValue());
        }
    }

    /** Applies every {@link RestBookSourceOptions} key that is set in {@code config}. */
    public RestBookSourceBuilder setConfiguration(ReadableConfig config) {
        checkNotNull(config, "config");
        config.getOptional(RestBookSourceOptions.EXCHANGES)
                .ifPresent(v -> setExchanges(v.toArray(new String[0])));
        config.getOptional(RestBookSourceOptions.MARKETS)
                .ifPresent(v -> setMarkets(v.toArray(new String[0])));
        config.getOptional(RestBookSourceOptions.INTERVAL).ifPresent(this::setInterval);
        config.getOptional(RestBookSourceOptions.CONNECT_TIMEOUT)
                .ifPresent(this::setConnectTimeout);
        config.getOptional(RestBookSourceOptions.REQUEST_TIMEOUT)
                .ifPresent(this::setRequestTimeout);
        config.getOptional(RestBookSourceOptions.USER_AGENT).ifPresent(this::setUserAgent);
        for (Venue venue : Venues.ALL) {
            String name = venue.name();
            config.getOptional(RestBookSourceOptions.baseUrl(name))
                    .ifPresent(v -> setBaseUrl(name, v));
            config.getOptional(RestBookSourceOptions.depthCount(name))
                    .ifPresent(v -> setDepthCount(name, v));
            applyRateLimit(
                    name,
                    config.getOptional(RestBookSourceOptions.rateLimit(name)),
                    config.getOptional(RestBookSourceOptions.rateBurst(name)));
        }
        config.getOptional(RestBookSourceOptions.RETRY_INITIAL_BACKOFF)
                .ifPresent(v -> setRetryBackoff(v, maxBackoff));
        config.getOptional(RestBookSourceOptions.RETRY_MAX_BACKOFF)
                .ifPresent(v -> setRetryBackoff(initialBackoff, v));
        config.getOptional(RestBookSourceOptions.MAX_POLLS).ifPresent(this::setMaxPolls);
        config.getOptional(RestBookSourceOptions.DURATION).ifPresent(this::setDuration);
        return this;
    }

    private void applyRateLimit(
            String exchange, Optional<Double> perSecond, Optional<Integer> burst) {
        if (perSecond.isPresent() || burst.isPresent()) {
            RateLimit current = rateLimits.get(exchange);
            setRateLimit(
                    exchange,
                    perSecond.orElse(current.permitsPerSecond()),
                    burst.orElse(current.burst()));
        }
    }

    public RestBookSourceBuilder setExchanges(String... exchanges) {
        checkNotNull(exchanges, "exchanges");
        checkArgument(exchanges.length > 0, "at least one exchange is needed");
        Arrays.stream(exchanges).forEach(Exchanges::validate);
        this.exchanges = List.copyOf(new LinkedHashSet<>(Arrays.asList(exchanges)));
        return this;
    }

    public RestBookSourceBuilder setMarkets(String... markets) {
        checkNotNull(markets, "markets");
        checkArgument(markets.length > 0, "at least one market is needed");
        Arrays.stream(markets).forEach(Markets::validate);
        this.markets = List.copyOf(new LinkedHashSet<>(Arrays.asList(markets)));
        return this;
    }

    /** Poll interval in clock time; polls happen at the multiples of it (epoch-aligned). */
    public RestBookSourceBuilder setInterval(Duration interval) {
        checkNotNull(interval, "interval");
        checkArgument(interval.toMillis() > 0, "interval must be at least 1 ms, got %s", interval);
        this.interval = interval;
        return this;
    }

    /**
     * E.g. {@code https://api.kraken.com} or a simulator's {@code http://127.0.0.1:8080/kraken}.
     */
    public RestBookSourceBuilder setBaseUrl(String exchange, String baseUrl) {
        Exchanges.validate(exchange);
        checkNotNull(baseUrl, "baseUrl");
        String url = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "base URL of " + exchange + " is not a URI: " + baseUrl, e);
        }
        checkArgument(
                ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme()))
                        && uri.getHost() != null,
                "base URL of %s must be http(s)://host[:port][/path], got %s",
                exchange,
                baseUrl);
        baseUrls.put(exchange, url);
        return this;
    }

    /** Client-side token bucket per exchange and subtask, real time. */
    public RestBookSourceBuilder setRateLimit(String exchange, double permitsPerSecond, int burst) {
        Exchanges.validate(exchange);
        rateLimits.put(exchange, new RateLimit(permitsPerSecond, burst));
        return this;
    }

    /**
     * Levels per side asked of {@code exchange} when its book request takes a count (Kraken's
     * {@code count}), 1 to its {@link io.depthflow.sources.venue.RestProtocol#maxDepthCount()}.
     */
    public RestBookSourceBuilder setDepthCount(String exchange, int count) {
        int max = Venues.get(exchange).rest().maxDepthCount();
        checkArgument(
                count >= 1 && count <= max,
                "%s depth count must be 1..%s, got %s",
                exchange,
                max,
                count);
        depthCounts.put(exchange, count);
        return this;
    }

    public RestBookSourceBuilder setConnectTimeout(Duration timeout) {
        checkNotNull(timeout, "timeout");
        checkArgument(timeout.toMillis() > 0, "connect timeout must be positive, got %s", timeout);
        this.connectTimeout = timeout;
        return this;
    }

    /** Real time allowed for one request until its response headers arrive. */
    public RestBookSourceBuilder setRequestTimeout(Duration timeout) {
        checkNotNull(timeout, "timeout");
        checkArgument(timeout.toMillis() > 0, "request timeout must be positive, got %s", timeout);
        this.requestTimeout = timeout;
        return this;
    }

    public RestBookSourceBuilder setUserAgent(String userAgent) {
        checkNotNull(userAgent, "userAgent");
        checkArgument(!userAgent.isBlank(), "userAgent must not be blank");
        this.userAgent = userAgent;
        return this;
    }

    /**
     * Full-jitter exponential backoff caps, clock time: {@code initial * 2^(n-1)} up to {@code
     * max}.
     */
    public RestBookSourceBuilder setRetryBackoff(Duration initial, Duration max) {
        checkNotNull(initial, "initial");
        checkNotNull(max, "max");
        checkArgument(initial.toMillis() > 0, "initial backoff must be positive, got %s", initial);
        checkArgument(
                max.compareTo(initial) >= 0,
                "max backoff %s is below initial backoff %s",
                max,
                initial);
        this.initialBackoff = initial;
        this.maxBackoff = max;
        return this;
    }

    /** Bounded mode: each split finishes after this many scheduled polls (retries not counted). */
    public RestBookSourceBuilder setMaxPolls(int maxPolls) {
        checkArgument(maxPolls > 0, "maxPolls must be positive, got %s", maxPolls);
        this.maxPolls = maxPolls;
        return this;
    }

    /** Bounded mode: no poll is scheduled at or after start + duration (clock time). */
    public RestBookSourceBuilder setDuration(Duration duration) {
        checkNotNull(duration, "duration");
        checkArgument(duration.toMillis() > 0, "duration must be positive, got %s", duration);
        this.duration = duration;
        return this;
    }

    /**
     * The clock of received_at, the poll grid, the duration and backoffs; wall clock by default.
     */
    public RestBookSourceBuilder setClock(SourceClock clock) {
        this.clock = checkNotNull(clock, "clock");
        return this;
    }

    public RestBookSource build() {
        return new RestBookSource(buildPollConfig());
    }

    /** The validated settings alone, for the {@code Recorder}. */
    public RestPollConfig buildPollConfig() {
        for (String exchange : exchanges) {
            checkArgument(baseUrls.containsKey(exchange), "no base URL for %s", exchange);
            checkArgument(rateLimits.containsKey(exchange), "no rate limit for %s", exchange);
        }
        checkArgument(
                connectTimeout.compareTo(requestTimeout) <= 0,
                "connect timeout %s exceeds request timeout %s",
                connectTimeout,
                requestTimeout);
        return new RestPollConfig(
                exchanges,
                markets,
                interval.toMillis(),
                baseUrls,
                rateLimits,
                depthCounts,
                connectTimeout.toMillis(),
                requestTimeout.toMillis(),
                userAgent,
                initialBackoff.toMillis(),
                maxBackoff.toMillis(),
                maxPolls,
                duration == null ? RestPollConfig.UNBOUNDED : duration.toMillis(),
                clock);
    }
}
