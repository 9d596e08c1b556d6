package io.depthflow.sources.rest;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;

import io.depthflow.sources.markets.Exchanges;
import io.depthflow.sources.markets.Markets;
import io.depthflow.sources.venue.RestProtocol;
import io.depthflow.sources.venue.Venue;
import io.depthflow.sources.venue.Venues;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Configuration keys of {@link RestBookSource}, read by {@link
 * RestBookSourceBuilder#setConfiguration}. Durations of the poll schedule ({@code interval}, {@code
 * duration}, backoffs) are in the source's clock time; timeouts and rate limits are in real time,
 * because they are about the network and the exchange. The per-venue keys ({@code
 * source.rest.<venue>.base-url}, {@code .rate-limit}, {@code .rate-burst}, {@code .depth-count})
 * are generated from the venue registry ({@link #baseUrl}, {@link #rateLimit}, {@link #rateBurst},
 * {@link #depthCount}): a registered venue has them all, with its own defaults.
 */
@PublicEvolving
public final class RestBookSourceOptions {

    public static final ConfigOption<List<String>> EXCHANGES =
            ConfigOptions.key("source.rest.exchanges")
                    .stringType()
                    .asList()
                    .defaultValues(Exchanges.DEFAULTS.toArray(new String[0]))
                    .withDescription(
                            "Exchanges to poll: any registered venue (io.depthflow.sources.venue.Venues).");

    public static final ConfigOption<List<String>> MARKETS =
            ConfigOptions.key("source.rest.markets")
                    .stringType()
                    .asList()
                    .defaultValues(Markets.BTC_USD, Markets.ETH_USD)
                    .withDescription(
                            "Canonical markets to poll on every exchange, e.g. BTC/USD;ETH/USD.");

    public static final ConfigOption<Duration> INTERVAL =
            ConfigOptions.key("source.rest.interval")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(60))
                    .withDescription(
                            "Poll interval per exchange and market, in clock time. Polls are aligned to"
                                    + " the interval grid of the clock (every minute at :00 for 60 s).");

    public static final ConfigOption<Duration> CONNECT_TIMEOUT =
            ConfigOptions.key("source.rest.connect-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(5))
                    .withDescription("TCP/TLS connect timeout, real time.");

    public static final ConfigOption<Duration> REQUEST_TIMEOUT =
            ConfigOptions.key("source.rest.request-timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription(
                            "Timeout of one request until its response headers arrive, real time.");

    public static final ConfigOption<String> USER_AGENT =
            ConfigOptions.key("source.rest.user-agent")
                    .stringType()
                    .defaultValue("depthflow/0.1 (order-book research; java.net.http)")
                    .withDescription(
                            "User-Agent header of every request (some venues ask clients to set one).");

    public static final ConfigOption<Duration> RETRY_INITIAL_BACKOFF =
            ConfigOptions.key("source.rest.retry.initial-backoff")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(1))
                    .withDescription(
                            "Cap of the first retry delay after a 429, 5xx or transport failure, clock time;"
                                    + " doubles per attempt, with full jitter.");

    public static final ConfigOption<Duration> RETRY_MAX_BACKOFF =
            ConfigOptions.key("source.rest.retry.max-backoff")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(20))
                    .withDescription(
                            "Largest retry delay cap, clock time. Retries never pass the next scheduled poll.");

    public static final ConfigOption<Integer> MAX_POLLS =
            ConfigOptions.key("source.rest.max-polls")
                    .intType()
                    .noDefaultValue()
                    .withDescription(
                            "Bounded mode: scheduled polls per exchange and market after which the source finishes.");

    public static final ConfigOption<Duration> DURATION =
            ConfigOptions.key("source.rest.duration")
                    .durationType()
                    .noDefaultValue()
                    .withDescription(
                            "Bounded mode: clock time after the source starts from which no poll is scheduled;"
                                    + " the source finishes when the last one completes.");

    /**
     * Levels per side asked of a venue whose book request takes a count, when none is configured.
     */
    public static final int DEFAULT_DEPTH_COUNT = 500;

    private RestBookSourceOptions() {}

    /**
     * {@code source.rest.<venue>.base-url}: the venue's REST base URL, by default its documented
     * one ({@link RestProtocol#defaultBaseUrl()}). One key per registered venue, e.g. {@code
     * source.rest.kraken.base-url} (without Kraken's {@code /0}).
     */
    public static ConfigOption<String> baseUrl(String venue) {
        Venue v = Venues.get(venue);
        return ConfigOptions.key(prefix(v) + "base-url")
                .stringType()
                .defaultValue(v.rest().defaultBaseUrl())
                .withDescription("Base URL of the " + v.name() + " REST API.");
    }

    /**
     * {@code source.rest.<venue>.rate-limit}: requests per second per source subtask to the venue,
     * by default the venue's own limit ({@link RestProtocol#defaultRateLimit()}), which keeps a
     * subtask within the venue's documented public limit.
     */
    public static ConfigOption<Double> rateLimit(String venue) {
        Venue v = Venues.get(venue);
        return ConfigOptions.key(prefix(v) + "rate-limit")
                .doubleType()
                .defaultValue(v.rest().defaultRateLimit().permitsPerSecond())
                .withDescription("Requests per second per source subtask to " + v.name() + ".");
    }

    /** {@code source.rest.<venue>.rate-burst}: the token bucket size of the venue's requests. */
    public static ConfigOption<Integer> rateBurst(String venue) {
        Venue v = Venues.get(venue);
        return ConfigOptions.key(prefix(v) + "rate-burst")
                .intType()
                .defaultValue(v.rest().defaultRateLimit().burst())
                .withDescription("Token bucket size for " + v.name() + " requests.");
    }

    /**
     * {@code source.rest.<venue>.depth-count}: levels per side asked of a venue whose book request
     * takes a count (Kraken's {@code count}, 1 to {@link RestProtocol#maxDepthCount()}); the others
     * ask for their whole or documented maximum book and ignore it.
     */
    public static ConfigOption<Integer> depthCount(String venue) {
        Venue v = Venues.get(venue);
        return ConfigOptions.key(prefix(v) + "depth-count")
                .intType()
                .defaultValue(Math.min(DEFAULT_DEPTH_COUNT, v.rest().maxDepthCount()))
                .withDescription(
                        "Levels per side asked of "
                                + v.name()
                                + " when its book request takes a count, 1 to "
                                + v.rest().maxDepthCount()
                                + ".");
    }

    /** Every per-venue key of every registered venue (generated from {@link Venues#ALL}). */
    public static List<ConfigOption<?>> venueOptions() {
        List<ConfigOption<?>> out = new ArrayList<>();
        for (Venue v : Venues.ALL) {
            out.add(baseUrl(v.name()));
            out.add(rateLimit(v.name()));
            out.add(rateBurst(v.name()));
            out.add(depthCount(v.name()));
        }
        return out;
    }

    private static String prefix(Venue v) {
        return "source.rest." + v.name() + ".";
    }
}
